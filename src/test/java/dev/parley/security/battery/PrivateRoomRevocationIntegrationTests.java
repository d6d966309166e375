package dev.parley.security.battery;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.parley.support.RawStompClient;
import dev.parley.support.StompTestClient;
import dev.parley.support.TestHttp;
import dev.parley.support.Transport;

import static dev.parley.support.StompTestClient.next;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Membership of a private room is checked at {@code SUBSCRIBE}; these tests are about
 * what happens to subscriptions that were allowed then and are not any more: a room name
 * created private after someone subscribed to it, and a member removed.
 */
class PrivateRoomRevocationIntegrationTests extends BatteryServer {

	@Test
	void anEarlySubscriberOfANameCreatedPrivateReadsNothingFurther() {
		try (StompTestClient eve = StompTestClient.connect(Transport.WEBSOCKET, this.port, token("eve"));
				StompTestClient alice = StompTestClient.connect(Transport.WEBSOCKET, this.port, token("alice"))) {
			BlockingQueue<JsonNode> messages = eve.subscribe("/topic/chat/secretplans");
			BlockingQueue<JsonNode> users = eve.subscribe("/topic/chat/secretplans/users");
			BlockingQueue<JsonNode> typing = eve.subscribe("/topic/chat/secretplans/typing");
			eve.assertNoErrors();

			assertThat(post("/api/rooms", "alice", "{\"name\":\"secretplans\",\"private\":true}")).isEqualTo(201);

			Set<String> ended = Stream.of(eve.nextError(), eve.nextError(), eve.nextError()).map((error) -> {
				assertThat(error.get("error").asString()).isEqualTo("subscription-ended");
				assertThat(error.get("message").asString()).contains("Room 'secretplans' is private");
				return error.get("destination").asString();
			}).collect(Collectors.toSet());
			assertThat(ended).containsExactlyInAnyOrder("/topic/chat/secretplans", "/topic/chat/secretplans/users",
					"/topic/chat/secretplans/typing");

			BlockingQueue<JsonNode> aliceSees = alice.subscribe("/topic/chat/secretplans");
			alice.send("/app/chat.join", Map.of("room", "secretplans"));
			alice.send("/app/chat.typing", Map.of("room", "secretplans", "typing", true));
			alice.send("/app/chat.send", Map.of("room", "secretplans", "content", "the plan"));
			assertThat(next(aliceSees).get("type").asString()).isEqualTo("JOIN");
			assertThat(next(aliceSees).get("content").asString()).isEqualTo("the plan");
			alice.assertNoErrors();

			// Everything published so far went out before eve's answer to this round
			// trip.
			eve.sync();
			assertThat(messages).as("room messages").isEmpty();
			assertThat(users).as("user lists").isEmpty();
			assertThat(typing).as("typing").isEmpty();
			assertThat(eve.isConnected()).as("the session goes on").isTrue();

			eve.subscribe("/topic/chat/secretplans");
			JsonNode again = eve.nextError();
			assertThat(again.get("error").asString()).isEqualTo("forbidden");
		}
	}

	@Test
	void aSubscriptionSentTogetherWithItsConnectIsEndedToo() throws Exception {
		// Spring's user registry never hears of a SUBSCRIBE that arrives in the same
		// WebSocket message as CONNECT.
		try (RawStompClient eve = RawStompClient.open(Transport.WEBSOCKET, this.port, "?access_token=" + token("eve2"));
				StompTestClient alice = StompTestClient.connect(Transport.WEBSOCKET, this.port, token("alice2"))) {
			eve.sendRaw("CONNECT\naccept-version:1.2\nhost:localhost\n\n\0"
					+ "SUBSCRIBE\nid:errors\ndestination:/user/queue/errors\n\n\0"
					+ "SUBSCRIBE\nid:spy\ndestination:/topic/chat/pipelined\nreceipt:spying\n\n\0");
			assertThat(eve.nextFrame()).startsWith("CONNECTED\n");
			assertThat(eve.nextFrame()).startsWith("RECEIPT\n").contains("receipt-id:spying");

			assertThat(post("/api/rooms", "alice2", "{\"name\":\"pipelined\",\"private\":true}")).isEqualTo(201);
			assertThat(eve.nextFrame()).startsWith("MESSAGE\n").contains("\"error\":\"subscription-ended\"");

			BlockingQueue<JsonNode> aliceSees = alice.subscribe("/topic/chat/pipelined");
			alice.send("/app/chat.join", Map.of("room", "pipelined"));
			assertThat(next(aliceSees).get("type").asString()).isEqualTo("JOIN");
			eve.send("SUBSCRIBE", "", "id:mark", "destination:/topic/presence", "receipt:mark");
			assertThat(eve.nextFrame()).as("nothing from the room before this")
				.startsWith("RECEIPT\n")
				.contains("receipt-id:mark");
		}
	}

	@Test
	void aRemovedMemberLeavesTheRoomAndReadsNothingFurther() {
		assertThat(post("/api/rooms", "carol", "{\"name\":\"council\",\"private\":true,\"members\":[\"dave\"]}"))
			.isEqualTo(201);
		try (StompTestClient carol = StompTestClient.connect(Transport.WEBSOCKET, this.port, token("carol"));
				StompTestClient dave = StompTestClient.connect(Transport.WEBSOCKET, this.port, token("dave"))) {
			BlockingQueue<JsonNode> carolSees = carol.subscribe("/topic/chat/council");
			BlockingQueue<JsonNode> carolUsers = carol.subscribe("/topic/chat/council/users");
			carol.send("/app/chat.join", Map.of("room", "council"));
			assertThat(next(carolSees).get("content").asString()).isEqualTo("carol joined the chat");
			assertThat(next(carolUsers)).hasSize(1);
			BlockingQueue<JsonNode> daveSees = dave.subscribe("/topic/chat/council");
			dave.send("/app/chat.join", Map.of("room", "council"));
			assertThat(next(carolSees).get("content").asString()).isEqualTo("dave joined the chat");
			assertThat(next(carolUsers).toString()).isEqualTo("[\"carol\",\"dave\"]");
			dave.assertNoErrors();
			daveSees.clear();

			assertThat(delete("/api/rooms/council/members/dave", "dave2")).as("not the creator").isEqualTo(404);
			assertThat(delete("/api/rooms/council/members/dave", "carol")).isEqualTo(204);

			JsonNode ended = dave.nextError();
			assertThat(ended.get("error").asString()).isEqualTo("subscription-ended");
			assertThat(ended.get("destination").asString()).isEqualTo("/topic/chat/council");
			assertThat(next(carolSees).get("content").asString()).isEqualTo("dave left the chat");
			assertThat(next(carolUsers).toString()).isEqualTo("[\"carol\"]");

			carol.send("/app/chat.send", Map.of("room", "council", "content", "without dave"));
			assertThat(next(carolSees).get("content").asString()).isEqualTo("without dave");
			dave.send("/app/chat.send", Map.of("room", "council", "content", "still here?"));
			assertThat(dave.nextError().get("error").asString()).isEqualTo("not-joined");
			dave.send("/app/chat.join", Map.of("room", "council"));
			assertThat(dave.nextError().get("error").asString()).isEqualTo("forbidden");
			dave.sync();
			assertThat(daveSees).isEmpty();
			assertThat(delete("/api/rooms/council/members/dave", "carol")).as("no longer a member").isEqualTo(404);
		}
	}

	@Test
	void anEndedSubscriptionFreesItsPlace() {
		// Eight subscriptions per session here: three end, three others fit again.
		try (StompTestClient frank = StompTestClient.connect(Transport.WEBSOCKET, this.port, token("frank"))) {
			frank.subscribe("/topic/chat/closing");
			frank.subscribe("/topic/chat/closing/users");
			frank.subscribe("/topic/chat/closing/typing");
			for (String room : List.of("a1", "a2", "a3", "a4")) {
				frank.subscribe("/topic/chat/" + room);
			}
			frank.assertNoErrors();
			assertThat(post("/api/rooms", "grace", "{\"name\":\"closing\",\"private\":true}")).isEqualTo(201);
			for (int i = 0; i < 3; i++) {
				assertThat(frank.nextError().get("error").asString()).isEqualTo("subscription-ended");
			}
			for (String room : List.of("b1", "b2", "b3")) {
				frank.subscribe("/topic/chat/" + room);
			}
			frank.assertNoErrors();
		}
	}

	private int post(String path, String user, String json) {
		return TestHttp.on(this.port).post(path, json, token(user)).statusCode();
	}

	private int delete(String path, String user) {
		return TestHttp.on(this.port).delete(path, token(user)).statusCode();
	}

}
