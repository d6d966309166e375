package dev.parley.room;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

import dev.parley.history.Draft;
import dev.parley.history.MessageStore;
import dev.parley.history.MessageWriter;
import dev.parley.history.RoomMessage;
import dev.parley.replies.ChatException;
import dev.parley.support.RecordingChannel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;

class RoomServiceTests {

	private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

	private final RecordingChannel channel = new RecordingChannel();

	private final RoomDirectory directory = mock(RoomDirectory.class);

	private final MessageWriter writer = mock(MessageWriter.class);

	private final RoomService rooms = new RoomService(this.channel.template(), this.directory, this.writer,
			new RoomProperties(Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(30)),
			mock(TaskScheduler.class), mock(ApplicationEventPublisher.class), mock(RoomPresenceStore.class));

	@BeforeEach
	void everyRoomIsPublicAndStoringIsImmediate() {
		given(this.directory.mayEnter(anyString(), anyString())).willReturn(true);
		Map<String, Long> seqs = new HashMap<>();
		given(this.writer.append(any(), any())).willAnswer((invocation) -> {
			Draft.Room draft = invocation.getArgument(0);
			Consumer<MessageStore.Stored> onStored = invocation.getArgument(1);
			long seq = seqs.merge(draft.room(), 1L, Long::sum);
			MessageStore.Stored stored = new MessageStore.Stored(
					new RoomMessage("id-" + seq, draft.sender(), draft.content(), draft.room(), NOW, draft.type(), seq),
					false);
			onStored.accept(stored);
			return CompletableFuture.completedFuture(stored);
		});
	}

	@Test
	void joiningAPrivateRoomOneIsNotAMemberOfIsRefused() {
		given(this.directory.mayEnter("secret", "mallory")).willReturn(false);
		assertThatExceptionOfType(ChatException.class).isThrownBy(() -> this.rooms.join("secret", "mallory", "s1"))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo("forbidden"));
		assertThat(this.channel.destinations()).isEmpty();
	}

	@Test
	void aUserWhoMayNoLongerEnterIsTakenOutOfTheRoomWithEverySession() {
		this.rooms.join("council", "carol", "s-carol");
		this.rooms.join("council", "dave", "s-dave-1");
		this.rooms.join("council", "dave", "s-dave-2");
		this.channel.clear();
		given(this.directory.mayEnter("council", "dave")).willReturn(false);

		this.rooms.onAccessChanged(new RoomAccessChanged("council"));

		assertThat(this.channel.payloadsTo("/topic/chat/council")).singleElement()
			.satisfies((leave) -> assertThat(((RoomMessage) leave).content()).isEqualTo("dave left the chat"));
		assertThat(this.channel.payloadsTo("/topic/chat/council/users")).last().isEqualTo(List.of("carol"));
		assertThatExceptionOfType(ChatException.class)
			.isThrownBy(() -> this.rooms.send("council", "dave", "still here?", null))
			.satisfies((ex) -> assertThat(ex.code()).isEqualTo("not-joined"));
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
	void aSentMessageIsStoredAsTheSendersChat() {
		this.rooms.join("general", "alice", "s1");
		this.rooms.send("general", "alice", "hello", "c-1");
		then(this.writer).should()
			.append(eq(new Draft.Room("general", RoomMessage.Type.CHAT, "alice", "hello", "c-1")), any());
		RoomMessage chat = (RoomMessage) this.channel.payloadsTo("/topic/chat/general").get(1);
		assertThat(chat.sender()).isEqualTo("alice");
		assertThat(chat.content()).isEqualTo("hello");
	}

	@Test
	void sendingOrTypingWithoutJoiningIsRefused() {
		assertThatExceptionOfType(ChatException.class)
			.isThrownBy(() -> this.rooms.send("general", "mallory", "hi", null))
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
	void anEmptiedRoomIsDroppedAndComesBackOnTheNextJoin() {
		this.rooms.join("transient", "alice", "s1");
		this.rooms.leave("transient", "alice", "s1");
		assertThat(this.rooms.occupancy()).doesNotContainKey("transient");
		this.channel.clear();
		this.rooms.join("transient", "bob", "s2");
		assertThat(this.channel.payloadsTo("/topic/chat/transient/users")).containsExactly(List.of("bob"));
		assertThat(this.rooms.occupancy()).containsEntry("transient", 1);
	}

	@Test
	void aJoinHandledAfterItsSessionDisconnectedLeavesNoGhostInTheRoom() {
		this.rooms.join("general", "bob", "s2");
		this.rooms.onDisconnect(disconnect("s1", "alice"));
		this.channel.clear();

		this.rooms.join("general", "alice", "s1");
		this.rooms.leave("general", "alice", "s1");

		assertThat(this.rooms.occupancy()).containsEntry("general", 1);
		assertThat(this.channel.destinations()).as("no JOIN, no user list with a ghost").isEmpty();
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
