package dev.parley.security.battery;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.web.socket.CloseStatus;

import dev.parley.support.RawStompClient;
import dev.parley.support.StompTestClient;
import dev.parley.support.Transport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each limit, hit the way an abusive or broken client would hit it (here: text 100, 5 SEND/s with a burst of 5 and
 * 20 refusals in a row, 8 subscriptions, 3 sessions per user, 1 s to CONNECT).
 */
class LimitsIntegrationTests extends BatteryServer {

	@Test
	void aFrameOverTheSizeLimitClosesTheSocketWith1009() throws Exception {
		try (RawStompClient client = connected("big")) {
			try {
				client.send("SEND", "{\"text\":\"" + "x".repeat(70 * 1024) + "\"}", "destination:/app/chat");
			}
			catch (IllegalStateException | IOException ex) {
				// The server may close the socket while the client is still writing the frame.
			}
			assertThat(client.awaitClose(Duration.ofSeconds(10)).getCode())
				.isEqualTo(CloseStatus.TOO_BIG_TO_PROCESS.getCode());
		}
	}

	@Test
	void anOversizedSockJsPostIsRefusedBeforeItIsRead() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		String base = "http://127.0.0.1:" + this.port + "/ws/000/" + "bigsession";
		HttpResponse<String> open = http.send(HttpRequest.newBuilder(URI.create(base + "/xhr"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(open.body()).startsWith("o");
		byte[] big = ("[\"" + "x".repeat(600 * 1024) + "\"]").getBytes(StandardCharsets.UTF_8);

		HttpResponse<String> declared = http.send(HttpRequest.newBuilder(URI.create(base + "/xhr_send"))
			.POST(HttpRequest.BodyPublishers.ofByteArray(big))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(declared.statusCode()).isEqualTo(413);

		HttpResponse<String> small = http.send(HttpRequest.newBuilder(URI.create(base + "/xhr_send"))
			.POST(HttpRequest.BodyPublishers.ofString("[\"\\n\"]"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(small.statusCode()).as("refused unread, the session goes on").isEqualTo(204);

		HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create(base + "/xhr_send"))
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(chunked.statusCode()).as("read up to the limit, then refused").isGreaterThanOrEqualTo(400);
	}

	@Test
	void aTextOverTheLengthLimitIsRefusedAndTheSessionStaysOpen() {
		try (StompTestClient client = StompTestClient.connect(Transport.WEBSOCKET, this.port, token("long"))) {
			client.send("/app/chat", Map.of("text", "x".repeat(101)));
			assertThat(client.nextError().get("message").asString()).isEqualTo("text must be at most 100 characters");
			client.send("/app/chat", Map.of("text", "x".repeat(100)));
			client.assertNoErrors();
		}
	}

	@Test
	void aSendFloodIsRateLimitedThenTheSessionIsClosed() throws Exception {
		try (RawStompClient client = connected("flooder")) {
			client.send("SUBSCRIBE", "", "id:errors", "destination:/user/queue/errors");
			client.send("SUBSCRIBE", "", "id:global", "destination:/topic/messages");
			for (int i = 0; i < 8; i++) {
				client.send("SEND", "{\"text\":\"flood " + i + "\"}", "destination:/app/chat");
			}
			List<String> frames = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				frames.add(client.nextFrame());
			}
			long delivered = frames.stream().filter((f) -> f.contains("\"text\":\"flood")).count();
			long limited = frames.stream().filter((f) -> f.contains("\"error\":\"rate-limited\"")).count();
			// The burst of 5 passes, plus what the 5/s refill adds while the frames are handled.
			assertThat(delivered).isBetween(5L, 7L);
			assertThat(limited).isEqualTo(8 - delivered);

			// 20 refusals in a row close the session; a token refilled meanwhile (one per 200 ms) starts the count
			// again, so send enough that a slow machine still gets 20 in a row.
			try {
				for (int i = 0; i < 100; i++) {
					client.send("SEND", "{\"text\":\"more " + i + "\"}", "destination:/app/chat");
				}
			}
			catch (IllegalStateException | IOException ex) {
				// Closed by the server while the flood was still being sent: the outcome looked for.
			}
			String frame;
			do {
				frame = client.nextFrame();
			}
			while (!frame.startsWith("ERROR"));
			assertThat(frame).contains("message:Too many messages - the rate limit was exceeded for too long");
			assertThat(client.awaitClose(Duration.ofSeconds(5)).getCode())
				.isEqualTo(CloseStatus.PROTOCOL_ERROR.getCode());
		}
	}

	@Test
	void subscriptionsOverTheLimitAreRefusedUntilOneIsDropped() throws Exception {
		try (RawStompClient client = connected("collector")) {
			client.send("SUBSCRIBE", "", "id:errors", "destination:/user/queue/errors");
			for (int i = 1; i <= 7; i++) {
				client.send("SUBSCRIBE", "", "id:" + i, "destination:/topic/chat/room" + i);
			}
			client.send("SUBSCRIBE", "", "id:8", "destination:/topic/chat/room8");
			assertThat(client.nextFrame()).contains("\"error\":\"too-many-subscriptions\"")
				.contains("\"destination\":\"/topic/chat/room8\"");

			client.send("UNSUBSCRIBE", "", "id:1");
			client.send("SUBSCRIBE", "", "id:9", "destination:/topic/chat/room9");
			client.send("SEND", "{\"room\":\"room9\",\"typing\":true}", "destination:/app/chat.typing");
			assertThat(client.nextFrame()).contains("\"error\":\"not-joined\"");
		}
	}

	@Test
	void unsubscribingIdsNeverSubscribedFreesNoPlace() throws Exception {
		try (RawStompClient client = connected("trickster")) {
			client.send("SUBSCRIBE", "", "id:errors", "destination:/user/queue/errors");
			for (int i = 1; i <= 7; i++) {
				client.send("SUBSCRIBE", "", "id:" + i, "destination:/topic/chat/room" + i);
			}
			for (int i = 100; i < 120; i++) {
				client.send("UNSUBSCRIBE", "", "id:" + i);
			}
			client.send("SUBSCRIBE", "", "id:8", "destination:/topic/chat/room8");
			assertThat(client.nextFrame()).contains("\"error\":\"too-many-subscriptions\"");

			client.send("SUBSCRIBE", "", "id:3", "destination:/topic/chat/again");
			client.send("SUBSCRIBE", "", "destination:/topic/chat/noid");
			assertThat(client.nextFrame()).as("reusing a live id replaces it and takes no new place")
				.contains("\"error\":\"bad-request\"")
				.contains("SUBSCRIBE needs an id header");
		}
	}

	@Test
	void replaysAreRateLimitedSoSubscribingInALoopCannotHammerTheDatabase() throws Exception {
		try (RawStompClient client = connected("replayer")) {
			client.send("SUBSCRIBE", "", "id:errors", "destination:/user/queue/errors");
			for (int i = 0; i < 8; i++) {
				client.send("SUBSCRIBE", "", "id:loop", "destination:/topic/chat/replayed", "since-seq:0");
				client.send("UNSUBSCRIBE", "", "id:loop");
			}
			client.send("SUBSCRIBE", "", "id:loop", "destination:/topic/chat/replayed", "since-seq:0");
			assertThat(client.nextFrame()).contains("\"error\":\"rate-limited\"").contains("Too many replays");

			client.send("SUBSCRIBE", "", "id:live", "destination:/topic/chat/replayed", "receipt:r-live");
			assertThat(client.nextFrame()).as("subscribing without a replay is not limited")
				.startsWith("RECEIPT\n")
				.contains("receipt-id:r-live");
		}
	}

	@Test
	void aUserMayHaveOnlySoManySessions() throws Exception {
		List<RawStompClient> sessions = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				sessions.add(connected("busy"));
			}
			try (RawStompClient fourth = RawStompClient.open(Transport.WEBSOCKET, this.port, "")) {
				fourth.connect("Authorization:Bearer " + token("busy"));
				assertThat(fourth.nextFrame()).startsWith("ERROR\n").contains("message:Too many sessions");
				assertThat(fourth.awaitClose(Duration.ofSeconds(5)).getCode())
					.isEqualTo(CloseStatus.PROTOCOL_ERROR.getCode());
			}
			sessions.remove(0).close();
			Thread.sleep(300);
			sessions.add(connected("busy"));
		}
		finally {
			for (RawStompClient session : sessions) {
				session.close();
			}
		}
	}

	@Test
	void aSocketThatNeverSendsConnectIsClosed() throws Exception {
		try (RawStompClient silent = RawStompClient.open(Transport.WEBSOCKET, this.port, "")) {
			CloseStatus status = silent.awaitClose(Duration.ofSeconds(5));
			assertThat(status.getCode()).isEqualTo(CloseStatus.POLICY_VIOLATION.getCode());
		}
	}

	private RawStompClient connected(String user) throws Exception {
		RawStompClient client = RawStompClient.open(Transport.WEBSOCKET, this.port, "");
		client.connect("Authorization:Bearer " + token(user));
		assertThat(client.nextFrame()).startsWith("CONNECTED\n");
		return client;
	}

}
