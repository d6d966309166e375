package dev.parley;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.parley.support.Json;
import dev.parley.support.StompTestClient;
import dev.parley.support.TestHttp;
import dev.parley.support.TestTokens;
import dev.parley.support.Transport;

import static dev.parley.support.StompTestClient.next;
import static dev.parley.support.StompTestClient.nextMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chat contract (PROTOCOL.md sections 2 and 3) played by real STOMP clients against a
 * running server, over a native WebSocket and over SockJS.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChatIntegrationTests {

	@LocalServerPort
	int port;

	@ParameterizedTest
	@EnumSource(value = Transport.class, names = { "WEBSOCKET", "SOCKJS", "SOCKJS_XHR" })
	void twoUsersJoinARoomAndSeeEachOthersMessages(Transport transport) throws Exception {
		String room = "general-" + transport.name().toLowerCase();
		try (StompTestClient alice = StompTestClient.connectAs(transport, this.port, "alice")) {
			BlockingQueue<JsonNode> aliceRoom = alice.subscribe("/topic/chat/" + room);
			BlockingQueue<JsonNode> aliceUsers = alice.subscribe("/topic/chat/" + room + "/users");
			alice.send("/app/chat.join", Map.of("room", room, "username", "alice"));
			alice.send("/app/chat.send", Map.of("room", room, "content", "Hello", "clientMessageId", "c-" + room));

			JsonNode join = next(aliceRoom);
			assertThat(join.get("type").asString()).isEqualTo("JOIN");
			assertThat(join.get("sender").asString()).isEqualTo("SYSTEM");
			assertThat(join.get("content").asString()).isEqualTo("alice joined the chat");
			assertThat(join.get("room").asString()).isEqualTo(room);
			assertThat(Instant.parse(join.get("timestamp").asString())).isBeforeOrEqualTo(Instant.now());
			assertThat(next(aliceUsers).toString()).isEqualTo("[\"alice\"]");
			JsonNode hello = next(aliceRoom);
			assertThat(hello.get("type").asString()).isEqualTo("CHAT");
			assertThat(hello.get("sender").asString()).isEqualTo("alice");
			assertThat(hello.get("content").asString()).isEqualTo("Hello");
			assertThat(hello.get("seq").asLong()).isEqualTo(join.get("seq").asLong() + 1);
			assertThat(hello.get("id").asString()).isNotBlank().isNotEqualTo(join.get("id").asString());

			try (StompTestClient bob = StompTestClient.connectAs(transport, this.port, "bob")) {
				BlockingQueue<JsonNode> bobRoom = bob.subscribe("/topic/chat/" + room);
				BlockingQueue<JsonNode> bobUsers = bob.subscribe("/topic/chat/" + room + "/users");
				bob.send("/app/chat.join", Map.of("room", room));
				for (BlockingQueue<JsonNode> messages : List.of(aliceRoom, bobRoom)) {
					assertThat(next(messages).get("content").asString()).isEqualTo("bob joined the chat");
				}
				assertThat(next(aliceUsers).toString()).isEqualTo("[\"alice\",\"bob\"]");
				assertThat(next(bobUsers).toString()).isEqualTo("[\"alice\",\"bob\"]");

				bob.send("/app/chat.send", Map.of("room", room, "content", "Hi alice"));
				for (BlockingQueue<JsonNode> messages : List.of(aliceRoom, bobRoom)) {
					JsonNode hi = next(messages);
					assertThat(hi.get("sender").asString()).isEqualTo("bob");
					assertThat(hi.get("content").asString()).isEqualTo("Hi alice");
				}
			}
		}
	}

	@ParameterizedTest
	@EnumSource(value = Transport.class, names = { "WEBSOCKET", "SOCKJS" })
	void disconnectLeavesTheRoomAndShortensTheUserList(Transport transport) throws Exception {
		String room = "leave-" + transport.name().toLowerCase();
		try (StompTestClient alice = StompTestClient.connectAs(transport, this.port, "alice")) {
			BlockingQueue<JsonNode> aliceRoom = alice.subscribe("/topic/chat/" + room);
			BlockingQueue<JsonNode> aliceUsers = alice.subscribe("/topic/chat/" + room + "/users");
			alice.send("/app/chat.join", Map.of("room", room));
			next(aliceRoom);
			next(aliceUsers);

			StompTestClient bob = StompTestClient.connectAs(transport, this.port, "bob");
			bob.send("/app/chat.join", Map.of("room", room));
			assertThat(next(aliceRoom).get("content").asString()).isEqualTo("bob joined the chat");
			assertThat(next(aliceUsers).toString()).isEqualTo("[\"alice\",\"bob\"]");

			bob.close();
			JsonNode leave = next(aliceRoom);
			assertThat(leave.get("type").asString()).isEqualTo("LEAVE");
			assertThat(leave.get("content").asString()).isEqualTo("bob left the chat");
			assertThat(next(aliceUsers).toString()).isEqualTo("[\"alice\"]");
		}
	}

	@ParameterizedTest
	@EnumSource(value = Transport.class, names = { "WEBSOCKET", "SOCKJS" })
	void aQuickReconnectIsNeitherALeaveNorAJoin(Transport transport) throws Exception {
		String room = "reconnect-" + transport.name().toLowerCase();
		try (StompTestClient alice = StompTestClient.connectAs(transport, this.port, "alice")) {
			BlockingQueue<JsonNode> aliceRoom = alice.subscribe("/topic/chat/" + room);
			alice.send("/app/chat.join", Map.of("room", room));
			next(aliceRoom);
			StompTestClient bob = StompTestClient.connectAs(transport, this.port, "bob");
			bob.send("/app/chat.join", Map.of("room", room));
			assertThat(next(aliceRoom).get("content").asString()).isEqualTo("bob joined the chat");

			bob.close();
			try (StompTestClient bobAgain = StompTestClient.connectAs(transport, this.port, "bob")) {
				bobAgain.send("/app/chat.join", Map.of("room", room));
				bobAgain.send("/app/chat.send", Map.of("room", room, "content", "back"));
				JsonNode next = next(aliceRoom);
				assertThat(next.get("content").asString()).isEqualTo("back");
				// Still nothing once the grace period is over.
				await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(aliceRoom::isEmpty);
			}
		}
	}

	@ParameterizedTest
	@EnumSource(value = Transport.class, names = { "WEBSOCKET", "SOCKJS" })
	void privateMessagesReachOnlyTheTwoParties(Transport transport) throws Exception {
		try (StompTestClient alice = StompTestClient.connectAs(transport, this.port, "alice");
				StompTestClient bob = StompTestClient.connectAs(transport, this.port, "bob");
				StompTestClient carol = StompTestClient.connectAs(transport, this.port, "carol")) {
			BlockingQueue<JsonNode> toAlice = alice.subscribe("/user/queue/private");
			BlockingQueue<JsonNode> toBob = bob.subscribe("/user/queue/private");
			BlockingQueue<JsonNode> toCarol = carol.subscribe("/user/queue/private");
			bob.sync();
			carol.sync();

			alice.send("/app/private", Map.of("recipient", "bob", "text", "psst"));
			JsonNode received = next(toBob);
			assertThat(received.get("sender").asString()).isEqualTo("alice");
			assertThat(received.get("recipient").asString()).isEqualTo("bob");
			assertThat(received.get("text").asString()).isEqualTo("psst");
			assertThat(next(toAlice).get("id").asString()).isEqualTo(received.get("id").asString());

			alice.sync();
			carol.sync();
			assertThat(toCarol.poll(300, TimeUnit.MILLISECONDS)).isNull();
			assertThat(toAlice).isEmpty();
			assertThat(toBob).isEmpty();
		}
	}

	@ParameterizedTest
	@EnumSource(value = Transport.class, names = { "WEBSOCKET", "SOCKJS" })
	void aPrivateMessageReachesEverySessionOfTheRecipient(Transport transport) throws Exception {
		try (StompTestClient alice = StompTestClient.connectAs(transport, this.port, "alice");
				StompTestClient bobPhone = StompTestClient.connectAs(transport, this.port, "bob-multi");
				StompTestClient bobLaptop = StompTestClient.connectAs(transport, this.port, "bob-multi")) {
			BlockingQueue<JsonNode> phone = bobPhone.subscribe("/user/queue/private");
			BlockingQueue<JsonNode> laptop = bobLaptop.subscribe("/user/queue/private");
			bobPhone.sync();
			bobLaptop.sync();
			alice.send("/app/private", Map.of("recipient", "bob-multi", "text", "on every device"));
			assertThat(next(phone).get("text").asString()).isEqualTo("on every device");
			assertThat(next(laptop).get("text").asString()).isEqualTo("on every device");
		}
	}

	@ParameterizedTest
	@EnumSource(value = Transport.class, names = { "WEBSOCKET", "SOCKJS" })
	void aBodyNamingAnotherSenderIsRejectedAndTheSessionStaysOpen(Transport transport) throws Exception {
		String room = "impostor-" + transport.name().toLowerCase();
		try (StompTestClient mallory = StompTestClient.connectAs(transport, this.port, "mallory")) {
			BlockingQueue<JsonNode> roomMessages = mallory.subscribe("/topic/chat/" + room);
			mallory.send("/app/chat.join", Map.of("room", room));
			next(roomMessages);

			mallory.send("/app/chat.send", Map.of("room", room, "content", "I am alice", "sender", "alice"));
			JsonNode error = mallory.nextError();
			assertThat(error.get("error").asString()).isEqualTo("sender-mismatch");
			assertThat(error.get("destination").asString()).isEqualTo("/app/chat.send");

			mallory.send("/app/chat.join", Map.of("room", room, "username", "alice"));
			assertThat(mallory.nextError().get("error").asString()).isEqualTo("sender-mismatch");
			mallory.send("/app/private", Map.of("recipient", "bob", "text", "hi", "sender", "alice"));
			assertThat(mallory.nextError().get("error").asString()).isEqualTo("sender-mismatch");

			mallory.send("/app/chat.send", Map.of("room", room, "content", "as myself"));
			JsonNode own = next(roomMessages);
			assertThat(own.get("sender").asString()).isEqualTo("mallory");
			assertThat(own.get("content").asString()).isEqualTo("as myself");
			assertThat(mallory.isConnected()).isTrue();
		}
	}

	@ParameterizedTest
	@EnumSource(value = Transport.class, names = { "WEBSOCKET", "SOCKJS" })
	void invalidPayloadsGetAClearErrorAndTheSessionStaysOpen(Transport transport) throws Exception {
		try (StompTestClient alice = StompTestClient.connectAs(transport, this.port, "alice")) {
			alice.send("/app/chat.join", Map.of("room", "no spaces allowed"));
			JsonNode badRoom = alice.nextError();
			assertThat(badRoom.get("error").asString()).isEqualTo("validation");
			assertThat(badRoom.get("message").asString()).contains("room");
			assertThat(badRoom.get("destination").asString()).isEqualTo("/app/chat.join");

			alice.send("/app/chat.join", Map.of("room", "valid"));
			alice.send("/app/chat.send", Map.of("room", "valid", "content", "x".repeat(4001)));
			assertThat(alice.nextError().get("message").asString()).contains("content");
			alice.send("/app/chat.send", Map.of("room", "valid", "content", ""));
			assertThat(alice.nextError().get("error").asString()).isEqualTo("validation");
			alice.send("/app/chat.send", Map.of("room", "elsewhere", "content", "not joined"));
			assertThat(alice.nextError().get("error").asString()).isEqualTo("not-joined");
			alice.send("/app/chat.send", "not json at all");
			assertThat(alice.nextError().get("error").asString()).isEqualTo("bad-request");

			BlockingQueue<JsonNode> global = alice.subscribe("/topic/messages");
			alice.send("/app/chat", Map.of("type", "message", "text", "still here"));
			assertThat(next(global).get("text").asString()).isEqualTo("still here");
		}
	}

	@ParameterizedTest
	@EnumSource(value = Transport.class, names = { "WEBSOCKET", "SOCKJS" })
	void globalChatReachesEveryone(Transport transport) throws Exception {
		try (StompTestClient alice = StompTestClient.connectAs(transport, this.port, "alice");
				StompTestClient bob = StompTestClient.connectAs(transport, this.port, "bob")) {
			BlockingQueue<JsonNode> bobGlobal = bob.subscribe("/topic/messages");
			bob.sync();
			alice.send("/app/chat", Map.of("type", "message", "text", "Hello!"));
			JsonNode message = next(bobGlobal);
			assertThat(message.get("type").asString()).isEqualTo("message");
			assertThat(message.get("sender").asString()).isEqualTo("alice");
			assertThat(message.get("text").asString()).isEqualTo("Hello!");
			assertThat(message.get("id").asString()).isNotBlank();
			assertThat(message.get("timestamp").asString()).endsWith("Z");
		}
	}

	@ParameterizedTest
	@EnumSource(value = Transport.class, names = { "WEBSOCKET", "SOCKJS" })
	void typingIndicatorsReachTheRoom(Transport transport) throws Exception {
		String room = "typing-" + transport.name().toLowerCase();
		try (StompTestClient alice = StompTestClient.connectAs(transport, this.port, "alice");
				StompTestClient bob = StompTestClient.connectAs(transport, this.port, "bob")) {
			BlockingQueue<JsonNode> typing = bob.subscribe("/topic/chat/" + room + "/typing");
			bob.sync();
			alice.send("/app/chat.join", Map.of("room", room));
			alice.send("/app/chat.typing", Map.of("room", room, "typing", true));
			JsonNode indicator = next(typing);
			assertThat(indicator.get("user").asString()).isEqualTo("alice");
			assertThat(indicator.get("typing").asBoolean()).isTrue();
		}
	}

	@ParameterizedTest
	@EnumSource(value = Transport.class, names = { "WEBSOCKET", "SOCKJS" })
	void sendingOutsideTheApplicationIsRefusedWithoutClosingTheSession(Transport transport) throws Exception {
		try (StompTestClient alice = StompTestClient.connectAs(transport, this.port, "alice");
				StompTestClient bob = StompTestClient.connectAs(transport, this.port, "bob")) {
			BlockingQueue<JsonNode> bobGlobal = bob.subscribe("/topic/messages");
			bob.sync();
			alice.send("/topic/messages", Map.of("id", "x", "type", "message", "sender", "bob", "text", "forged"));
			JsonNode error = alice.nextError();
			assertThat(error.get("error").asString()).isEqualTo("forbidden");
			assertThat(error.get("destination").asString()).isEqualTo("/topic/messages");

			alice.subscribe("/user/bob/queue/private");
			assertThat(alice.nextError().get("error").asString()).isEqualTo("forbidden");

			alice.send("/app/chat", Map.of("text", "legit"));
			assertThat(next(bobGlobal).get("text").asString()).isEqualTo("legit");
			assertThat(alice.isConnected()).isTrue();
		}
	}

	@ParameterizedTest
	@EnumSource(value = Transport.class, names = { "WEBSOCKET", "SOCKJS" })
	void presenceFollowsTheFirstAndLastSessionOfAUser(Transport transport) throws Exception {
		String dave = "dave-" + transport.name().toLowerCase();
		try (StompTestClient alice = StompTestClient.connectAs(transport, this.port, "alice")) {
			BlockingQueue<JsonNode> presence = alice.subscribe("/topic/presence");
			alice.sync();
			StompTestClient first = StompTestClient.connectAs(transport, this.port, dave);
			JsonNode online = nextAbout(presence, dave);
			assertThat(online.get("status").asString()).isEqualTo("online");
			assertThat(online.get("timestamp").asString()).endsWith("Z");
			assertThat(onlineUsers()).contains("alice", dave);

			StompTestClient second = StompTestClient.connectAs(transport, this.port, dave);
			first.close();
			second.sync();
			assertThat(onlineUsers()).contains(dave);
			second.close();
			assertThat(nextAbout(presence, dave).get("status").asString()).isEqualTo("offline");
			assertThat(onlineUsers()).contains("alice").doesNotContain(dave);
		}
	}

	private static JsonNode nextAbout(BlockingQueue<JsonNode> presence, String user) {
		return nextMatching(presence, (change) -> change.get("user").asString().equals(user));
	}

	private List<String> onlineUsers() {
		HttpResponse<String> response = TestHttp.on(this.port).get("/api/presence", TestTokens.valid("alice"));
		assertThat(response.statusCode()).isEqualTo(200);
		return Json.strings(Json.parse(response.body()).get("online"));
	}

}
