package dev.parley.security.battery;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import dev.parley.support.RawStompClient;
import dev.parley.support.StompTestClient;
import dev.parley.support.TestHttp;
import dev.parley.support.Transport;

import static dev.parley.support.StompTestClient.next;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which destinations a client may use: every {@code SEND} and {@code SUBSCRIBE} of the
 * matrix, with its exact outcome. Refused frames are dropped and reported on
 * {@code /user/queue/errors}; the session stays open.
 */
class DestinationMatrixIntegrationTests extends BatteryServer {

	static final String PRIVATE_ROOM = "vault";

	/** Created once: REST writes are held to a user's rate like its messages. */
	private static final java.util.concurrent.atomic.AtomicBoolean created = new java.util.concurrent.atomic.AtomicBoolean();

	@BeforeEach
	void privateRoomOfBobAndCarol() {
		if (created.get()) {
			return;
		}
		HttpResponse<String> response = TestHttp.on(this.port)
			.post("/api/rooms", "{\"name\":\"" + PRIVATE_ROOM + "\",\"private\":true,\"members\":[\"carol\"]}",
					token("bob"));
		assertThat(response.statusCode()).isEqualTo(201);
		created.set(true);
	}

	static Stream<Arguments> sends() {
		return Stream.of(Arguments.of("/app/chat", true), Arguments.of("/topic/messages", false),
				Arguments.of("/topic/chat/general", false), Arguments.of("/topic/presence", false),
				Arguments.of("/queue/private", false), Arguments.of("/user/queue/private", false),
				Arguments.of("/user/bob/queue/private", false), Arguments.of("/queue/private-userabc123", false),
				Arguments.of("/app/../topic/messages", false), Arguments.of("/app/%2e%2e/topic/messages", false),
				Arguments.of("/app/chat/../../topic/messages", false), Arguments.of("/unknown/destination", false),
				Arguments.of("/APP/chat", false));
	}

	@ParameterizedTest(name = "SEND {0}: allowed={1}")
	@MethodSource("sends")
	void send(String destination, boolean allowed) {
		try (StompTestClient alice = connect("alice"); StompTestClient bob = connect("bob")) {
			BlockingQueue<JsonNode> global = bob.subscribe("/topic/messages");
			bob.assertNoErrors();
			alice.send(destination, Map.of("type", "message", "text", "matrix " + destination));
			if (allowed) {
				assertThat(next(global).get("text").asString()).isEqualTo("matrix " + destination);
				alice.assertNoErrors();
			}
			else {
				assertForbidden(alice, destination);
				bob.sync();
				assertThat(global).isEmpty();
			}
			assertStillWorks(alice, bob, global);
		}
	}

	static Stream<Arguments> subscriptions() {
		return Stream.of(Arguments.of("/topic/messages", true), Arguments.of("/topic/chat/general", true),
				Arguments.of("/topic/chat/general/users", true), Arguments.of("/topic/chat/general/typing", true),
				Arguments.of("/topic/announcements", true), Arguments.of("/topic/presence", true),
				Arguments.of("/user/queue/private", true), Arguments.of("/user/queue/notifications", true),
				Arguments.of("/user/bob/queue/private", false), Arguments.of("/user/bob/queue/errors", false),
				Arguments.of("/queue/private", false), Arguments.of("/queue/private-userabc123", false),
				Arguments.of("/topic/chat/" + PRIVATE_ROOM, false),
				Arguments.of("/topic/chat/" + PRIVATE_ROOM + "/users", false),
				Arguments.of("/topic/chat/" + PRIVATE_ROOM + "/typing", false), Arguments.of("/topic/chat/*", false),
				Arguments.of("/topic/chat/**", false), Arguments.of("/topic/#", false),
				Arguments.of("/topic/chat/../messages", false), Arguments.of("/topic/chat/%2e%2e/messages", false),
				Arguments.of("/app/chat", false), Arguments.of("/unknown", false));
	}

	@ParameterizedTest(name = "SUBSCRIBE {0}: allowed={1}")
	@MethodSource("subscriptions")
	void subscribe(String destination, boolean allowed) {
		try (StompTestClient alice = connect("alice"); StompTestClient bob = connect("bob")) {
			alice.subscribe(destination);
			if (allowed) {
				alice.assertNoErrors();
			}
			else {
				assertForbidden(alice, destination);
			}
			assertStillWorks(alice, bob, bob.subscribe("/topic/messages"));
		}
	}

	@Test
	void membersOfAPrivateRoomMayEnterItAndOthersMayNot() throws Exception {
		try (StompTestClient carol = connect("carol"); StompTestClient mallory = connect("mallory")) {
			BlockingQueue<JsonNode> room = carol.subscribe("/topic/chat/" + PRIVATE_ROOM);
			carol.send("/app/chat.join", Map.of("room", PRIVATE_ROOM));
			assertThat(next(room).get("type").asString()).isEqualTo("JOIN");
			carol.assertNoErrors();

			mallory.send("/app/chat.join", Map.of("room", PRIVATE_ROOM));
			JsonNode refused = mallory.nextError();
			assertThat(refused.get("error").asString()).isEqualTo("forbidden");
			mallory.send("/app/chat.send", Map.of("room", PRIVATE_ROOM, "content", "let me in"));
			assertThat(mallory.nextError().get("error").asString()).isEqualTo("not-joined");
			carol.sync();
			assertThat(room.poll(200, TimeUnit.MILLISECONDS)).isNull();
		}
	}

	@Test
	void acknowledgementsAreAcceptedAndTransactionsRefusedWithoutClosingTheSession() throws Exception {
		try (RawStompClient client = RawStompClient.connected(Transport.WEBSOCKET, this.port, token("acker"))) {
			client.send("SUBSCRIBE", "", "id:errors", "destination:/user/queue/errors");
			client.send("SUBSCRIBE", "", "id:global", "destination:/topic/messages", "ack:client");
			client.send("SEND", "{\"text\":\"ack me\"}", "destination:/app/chat");
			String message = client.nextFrame();
			assertThat(message).startsWith("MESSAGE\n").contains("ack me");
			client.send("ACK", "", "id:" + header(message, "message-id"), "receipt:r-ack");
			assertThat(client.nextFrame()).startsWith("RECEIPT\n").contains("receipt-id:r-ack");
			client.send("NACK", "", "id:" + header(message, "message-id"));

			client.send("BEGIN", "", "transaction:tx-1", "receipt:r-begin");
			assertThat(client.nextFrame()).startsWith("MESSAGE\n")
				.contains("\"error\":\"unsupported\"")
				.contains("BEGIN: STOMP transactions are not supported")
				.contains("\"receiptId\":\"r-begin\"");
			client.send("SEND", "{\"text\":\"still here\"}", "destination:/app/chat");
			assertThat(client.nextFrame()).as("the session stays open").contains("still here");
		}
	}

	private static String header(String frame, String name) {
		return frame.lines()
			.filter((line) -> line.startsWith(name + ":"))
			.findFirst()
			.map((line) -> line.substring(name.length() + 1))
			.orElseThrow();
	}

	private static void assertForbidden(StompTestClient client, String destination) {
		JsonNode error = client.nextError();
		assertThat(error.get("error").asString()).isEqualTo("forbidden");
		assertThat(error.get("destination").asString()).isEqualTo(destination);
	}

	private static void assertStillWorks(StompTestClient alice, StompTestClient bob, BlockingQueue<JsonNode> global) {
		bob.sync();
		global.clear();
		alice.send("/app/chat", Map.of("text", "still connected"));
		assertThat(next(global).get("text").asString()).isEqualTo("still connected");
	}

	private StompTestClient connect(String user) {
		return StompTestClient.connect(Transport.WEBSOCKET, this.port, token(user));
	}

}
