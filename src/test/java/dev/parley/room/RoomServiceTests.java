package dev.parley.room;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

import dev.parley.messaging.ChatException;
import dev.parley.support.RecordingChannel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

class RoomServiceTests {

	private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

	private final RecordingChannel channel = new RecordingChannel();

	private final RoomDirectory directory = mock(RoomDirectory.class);

	private final RoomService rooms = new RoomService(this.channel.template(), Clock.fixed(NOW, ZoneOffset.UTC),
			this.directory);

	@BeforeEach
	void everyRoomIsPublic() {
		given(this.directory.mayEnter(anyString(), anyString())).willReturn(true);
	}

	@Test
	void joiningAPrivateRoomOneIsNotAMemberOfIsRefused() {
		given(this.directory.mayEnter("secret", "mallory")).willReturn(false);
		assertThatExceptionOfType(ChatException.class).isThrownBy(() -> this.rooms.join("secret", "mallory", "s1"))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo("forbidden"));
		assertThat(this.channel.destinations()).isEmpty();
	}

	@Test
	void occupancyCountsUsersPresent() {
		this.rooms.join("general", "alice", "s1");
		this.rooms.join("general", "alice", "s2");
		this.rooms.join("general", "bob", "s3");
		this.rooms.join("quiet", "bob", "s3");
		this.rooms.leave("quiet", "bob", "s3");
		assertThat(this.rooms.occupancy()).containsExactly(Map.entry("general", 2));
	}

	@Test
	void joiningAnnouncesTheUserAndPublishesTheSortedUserList() {
		this.rooms.join("general", "bob", "s-bob");
		this.rooms.join("general", "alice", "s-alice");

		List<Object> messages = this.channel.payloadsTo("/topic/chat/general");
		assertThat(messages).hasSize(2);
		RoomMessage join = (RoomMessage) messages.get(1);
		assertThat(join.type()).isEqualTo(RoomMessage.Type.JOIN);
		assertThat(join.sender()).isEqualTo("SYSTEM");
		assertThat(join.content()).isEqualTo("alice joined the chat");
		assertThat(join.room()).isEqualTo("general");
		assertThat(join.timestamp()).isEqualTo(NOW);
		assertThat(this.channel.payloadsTo("/topic/chat/general/users")).last().isEqualTo(List.of("alice", "bob"));
	}

	@Test
	void joiningTwiceOrFromASecondSessionChangesNothing() {
		this.rooms.join("general", "alice", "s1");
		this.channel.clear();
		this.rooms.join("general", "alice", "s1");
		this.rooms.join("general", "alice", "s2");
		assertThat(this.channel.destinations()).isEmpty();
	}

	@Test
	void sequenceCountsUpByOnePerRoomMessage() {
		this.rooms.join("general", "alice", "s1");
		this.rooms.join("other", "alice", "s1");
		RoomMessage first = this.rooms.send("general", "alice", "one");
		RoomMessage second = this.rooms.send("general", "alice", "two");
		RoomMessage elsewhere = this.rooms.send("other", "alice", "three");
		assertThat(first.seq()).isEqualTo(2);
		assertThat(second.seq()).isEqualTo(3);
		assertThat(elsewhere.seq()).isEqualTo(2);
		assertThat(first.id()).isNotEqualTo(second.id());
		assertThat(second.sender()).isEqualTo("alice");
		assertThat(second.type()).isEqualTo(RoomMessage.Type.CHAT);
	}

	@Test
	void sendingOrTypingWithoutJoiningIsRefused() {
		assertThatExceptionOfType(ChatException.class).isThrownBy(() -> this.rooms.send("general", "mallory", "hi"))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo("not-joined"));
		assertThatExceptionOfType(ChatException.class).isThrownBy(() -> this.rooms.typing("general", "mallory", true));
		assertThat(this.channel.destinations()).isEmpty();
	}

	@Test
	void typingIsPublishedToTheTypingTopic() {
		this.rooms.join("general", "alice", "s1");
		this.rooms.typing("general", "alice", true);
		assertThat(this.channel.payloadsTo("/topic/chat/general/typing"))
			.containsExactly(new RoomRequests.TypingIndicator("alice", true));
	}

	@Test
	void leavingAnnouncesItOnlyWhenTheUsersLastSessionGoes() {
		this.rooms.join("general", "alice", "s1");
		this.rooms.join("general", "alice", "s2");
		this.rooms.join("general", "bob", "s3");
		this.channel.clear();

		this.rooms.leave("general", "alice", "s1");
		assertThat(this.channel.destinations()).isEmpty();

		this.rooms.leave("general", "alice", "s2");
		RoomMessage leave = (RoomMessage) this.channel.payloadsTo("/topic/chat/general").get(0);
		assertThat(leave.type()).isEqualTo(RoomMessage.Type.LEAVE);
		assertThat(leave.content()).isEqualTo("alice left the chat");
		assertThat(this.channel.payloadsTo("/topic/chat/general/users")).containsExactly(List.of("bob"));
	}

	@Test
	void disconnectLeavesEveryRoomOfThatSessionOnly() {
		this.rooms.join("general", "alice", "s1");
		this.rooms.join("random", "alice", "s1");
		this.rooms.join("random", "alice", "s2");
		this.channel.clear();

		this.rooms.onDisconnect(disconnect("s1", "alice"));

		assertThat(this.channel.payloadsTo("/topic/chat/general")).singleElement()
			.extracting((message) -> ((RoomMessage) message).type())
			.isEqualTo(RoomMessage.Type.LEAVE);
		assertThat(this.channel.payloadsTo("/topic/chat/general/users")).containsExactly(List.of());
		assertThat(this.channel.payloadsTo("/topic/chat/random")).isEmpty();
	}

	@Test
	void disconnectOfASessionThatJoinedNothingPublishesNothing() {
		this.rooms.onDisconnect(disconnect("s9", "alice"));
		assertThat(this.channel.destinations()).isEmpty();
	}

	static SessionDisconnectEvent disconnect(String sessionId, String user) {
		var message = MessageBuilder.withPayload(new byte[0])
			.copyHeaders(Map.of(SimpMessageHeaderAccessor.SESSION_ID_HEADER, sessionId,
					SimpMessageHeaderAccessor.MESSAGE_TYPE_HEADER, SimpMessageType.DISCONNECT))
			.build();
		return new SessionDisconnectEvent(new Object(), message, sessionId, CloseStatus.NORMAL,
				new TestingAuthenticationToken(user, null));
	}

}
