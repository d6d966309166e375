package dev.parley.room;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import dev.parley.history.MessageStore;
import dev.parley.history.RoomMessage;
import dev.parley.limits.LimitsProperties;
import dev.parley.limits.WriteThrottle;
import dev.parley.messaging.BrokerAvailability;
import dev.parley.replies.Rejections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * {@code POST /api/rooms/{room}/messages} answers once the message is stored, without a
 * servlet thread waiting for the commit.
 */
@WebMvcTest(RoomPostController.class)
@EnableConfigurationProperties(LimitsProperties.class)
@AutoConfigureMockMvc(addFilters = false)
class RoomPostControllerTests {

	private static final UsernamePasswordAuthenticationToken ALICE = UsernamePasswordAuthenticationToken
		.authenticated("alice", null, List.of(new SimpleGrantedAuthority("ROLE_USER")));

	@Autowired
	MockMvcTester mvc;

	@MockitoBean
	RoomService rooms;

	@MockitoBean
	RoomDirectory directory;

	@MockitoBean
	WriteThrottle throttle;

	@MockitoBean
	Rejections rejections;

	@MockitoBean
	BrokerAvailability broker;

	@BeforeEach
	void brokerAvailable() {
		given(this.broker.isAvailable()).willReturn(true);
	}

	@Test
	void thePostIsAnsweredWhenTheCommitIsDoneWithoutHoldingAThread() {
		CompletableFuture<MessageStore.Stored> commit = new CompletableFuture<>();
		given(this.directory.mayEnter("lobby", "alice")).willReturn(true);
		given(this.rooms.post(eq("lobby"), eq("alice"), eq(RoomMessage.Type.CHAT), any())).willReturn(commit);

		MvcTestResult pending = post("lobby", "hello");
		assertThat(pending).request().hasAsyncStarted(true);

		RoomMessage stored = new RoomMessage("id-1", "alice", "hello", "lobby", Instant.parse("2026-11-30T12:00:00Z"),
				RoomMessage.Type.CHAT, 7);
		commit.complete(new MessageStore.Stored(stored, false));
		MvcTestResult done = this.mvc.perform(MockMvcRequestBuilders.asyncDispatch(pending.getMvcResult()));
		assertThat(done).hasStatus(HttpStatus.CREATED).bodyJson().extractingPath("$.seq").isEqualTo(7);
	}

	@Test
	void aMessageThatCannotBeStoredIsAnswered503() {
		given(this.directory.mayEnter("lobby", "alice")).willReturn(true);
		given(this.rooms.post(eq("lobby"), eq("alice"), eq(RoomMessage.Type.CHAT), any()))
			.willReturn(CompletableFuture.failedFuture(new IllegalStateException("database away")));

		MvcTestResult pending = post("lobby", "hello");
		MvcTestResult done = this.mvc.perform(MockMvcRequestBuilders.asyncDispatch(pending.getMvcResult()));
		assertThat(done).hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
			.bodyJson()
			.extractingPath("$.detail")
			.isEqualTo("The message could not be stored; it was not sent");
	}

	@Test
	void whileTheBrokerIsUnavailableAPostIsAnswered503BeforeItIsStored() {
		given(this.broker.isAvailable()).willReturn(false);
		given(this.directory.mayEnter("lobby", "alice")).willReturn(true);

		MvcTestResult refused = post("lobby", "hello");
		assertThat(refused).hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
			.hasHeader("Retry-After", "5")
			.bodyJson()
			.extractingPath("$.detail")
			.asString()
			.contains("message broker is unavailable");
		verify(this.rooms, never()).post(any(), any(), any(), any());
	}

	/** Sent without waiting for an asynchronous answer, as a servlet container would. */
	private MvcTestResult post(String room, String content) {
		return this.mvc.perform(MockMvcRequestBuilders.post("/api/rooms/{room}/messages", room)
			.principal(ALICE)
			.contentType(MediaType.APPLICATION_JSON)
			.content("{\"content\":\"" + content + "\"}"));
	}

}
