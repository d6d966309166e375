package dev.parley.security.battery;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.jsonwebtoken.Jwts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.web.socket.CloseStatus;

import dev.parley.support.RawStompClient;
import dev.parley.support.StompTestClient;
import dev.parley.support.TestHttp;
import dev.parley.support.TestTokens;
import dev.parley.support.Transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each limit, hit the way an abusive or broken client would hit it (here: text 100, 5
 * SEND/s with a burst of 5 and 20 refusals in a row, 20 frames/s (heart-beats included)
 * with a burst of 40, 8 subscriptions, 3 sessions per user, 1 s to CONNECT).
 */
class LimitsIntegrationTests extends BatteryServer {

	/**
	 * How a client still flooding sees the server's close: 1002 after the {@code ERROR}
	 * frame, or, when the server's close arrives while Jetty's client is still writing,
	 * the connection ended without it (1006). The {@code ERROR} frame is asserted either
	 * way.
	 */
	private static final List<Integer> CLOSED_WHILE_FLOODING = List.of(CloseStatus.PROTOCOL_ERROR.getCode(), 1006);

	@Test
	void aFrameOverTheSizeLimitClosesTheSocketWith1009() throws Exception {
		try (RawStompClient client = connected("big")) {
			try {
				client.send("SEND", "{\"text\":\"" + "x".repeat(70 * 1024) + "\"}", "destination:/app/chat");
			}
			catch (IllegalStateException | IOException ex) {
				// The server may close the socket while the client is still writing the
				// frame.
			}
			assertThat(client.awaitClose(Duration.ofSeconds(10)).getCode())
				.isEqualTo(CloseStatus.TOO_BIG_TO_PROCESS.getCode());
		}
	}

	@ParameterizedTest
	@EnumSource(value = Transport.class, names = { "WEBSOCKET", "SOCKJS" })
	void aFrameOfExactlyTheSizeLimitGoesThrough(Transport transport) throws Exception {
		try (RawStompClient client = connected(transport, "atlimit")) {
			client.send("SUBSCRIBE", "", "id:errors", "destination:/user/queue/errors", "receipt:subscribed");
			assertThat(client.nextFrame()).startsWith("RECEIPT\n");
			client.sendRaw(frameOfSize(64 * 1024));
			// Through the container and the STOMP decoder, to the application, which
			// finds the text too long.
			assertThat(client.nextFrame()).startsWith("MESSAGE\n").contains("text must be at most 100 characters");
			assertThat(client.isOpen()).isTrue();
		}
	}

	@ParameterizedTest
	@EnumSource(value = Transport.class, names = { "WEBSOCKET", "SOCKJS" })
	void aFrameOneByteOverTheSizeLimitClosesTheSession(Transport transport) throws Exception {
		try (RawStompClient client = connected(transport, "overlimit")) {
			try {
				client.sendRaw(frameOfSize(64 * 1024 + 1));
			}
			catch (IllegalStateException | IOException ex) {
				// The server may close the socket while the client is still writing the
				// frame.
			}
			CloseStatus status = client.awaitClose(Duration.ofSeconds(10));
			if (transport == Transport.WEBSOCKET) {
				assertThat(status.getCode()).isEqualTo(CloseStatus.TOO_BIG_TO_PROCESS.getCode());
			}
		}
	}

	/** A SEND frame of exactly this many bytes, NUL included. */
	private static String frameOfSize(int size) {
		String head = "SEND\ndestination:/app/chat\n\n{\"text\":\"";
		String tail = "\"}\0";
		return head + "x".repeat(size - head.length() - tail.length()) + tail;
	}

	@Test
	void anOversizedSockJsPostIsRefusedBeforeItIsRead() throws Exception {
		TestHttp http = TestHttp.on(this.port);
		String base = "/ws/000/" + "bigsession";
		HttpResponse<String> open = http
			.send(http.request(base + "/xhr", null).POST(HttpRequest.BodyPublishers.noBody()).build());
		assertThat(open.body()).startsWith("o");
		byte[] big = ("[\"" + "x".repeat(600 * 1024) + "\"]").getBytes(StandardCharsets.UTF_8);

		HttpResponse<String> declared = http
			.send(http.request(base + "/xhr_send", null).POST(HttpRequest.BodyPublishers.ofByteArray(big)).build());
		assertThat(declared.statusCode()).isEqualTo(413);

		HttpResponse<String> small = http.send(
				http.request(base + "/xhr_send", null).POST(HttpRequest.BodyPublishers.ofString("[\"\\n\"]")).build());
		assertThat(small.statusCode()).as("refused unread, the session goes on").isEqualTo(204);

		HttpResponse<String> chunked = http.send(http.request(base + "/xhr_send", null)
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
			.build());
		// Read up to the limit, then refused: SockJS answers a body it could not read
		// with a 500 of its own.
		assertThat(chunked.statusCode()).as("read up to the limit, then refused").isEqualTo(500);
		assertThat(chunked.body()).isEqualTo("Failed to read message(s)");
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
			// The burst of 5 passes, plus what the 5/s refill adds while the frames are
			// handled.
			assertThat(delivered).isBetween(5L, 7L);
			assertThat(limited).isEqualTo(8 - delivered);

			// 20 refusals in a row close the session; a token refilled meanwhile (one per
			// 200 ms) starts the count again, so send enough that a slow machine still
			// gets 20 in a row.
			try {
				for (int i = 0; i < 100; i++) {
					client.send("SEND", "{\"text\":\"more " + i + "\"}", "destination:/app/chat");
				}
			}
			catch (IllegalStateException | IOException ex) {
				// Closed by the server while the flood was still being sent: the outcome
				// looked for.
			}
			String frame;
			do {
				frame = client.nextFrame();
			}
			while (!frame.startsWith("ERROR"));
			assertThat(frame).contains("message:Too many messages - the rate limit was exceeded for too long");
			assertThat(client.awaitClose(Duration.ofSeconds(5)).getCode()).isIn(CLOSED_WHILE_FLOODING);
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
	void aSubscriptionRefusedForItsSinceSeqTakesNoPlace() throws Exception {
		try (RawStompClient client = connected("replayer")) {
			client.send("SUBSCRIBE", "", "id:errors", "destination:/user/queue/errors");
			for (int i = 1; i <= 7; i++) {
				client.send("SUBSCRIBE", "", "id:bad" + i, "destination:/topic/chat/room" + i, "since-seq:soon");
				assertThat(client.nextFrame()).contains("\"error\":\"bad-request\"")
					.contains("since-seq must be a whole number, 0 or more");
			}
			for (int i = 1; i <= 7; i++) {
				client.send("SUBSCRIBE", "", "id:" + i, "destination:/topic/chat/room" + i);
			}
			// Not joined: the error that shows every SUBSCRIBE before it was taken.
			client.send("SEND", "{\"room\":\"room7\",\"typing\":true}", "destination:/app/chat.typing");
			assertThat(client.nextFrame()).as("the seven refused replays took no place")
				.contains("\"error\":\"not-joined\"");
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
			// Once the server has seen that close, a new session fits again.
			sessions.add(await().atMost(Duration.ofSeconds(5)).until(() -> connectedOrNull("busy"), (c) -> c != null));
		}
		finally {
			for (RawStompClient session : sessions) {
				session.close();
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "ACK\nid:1\nreceipt:r-%d", "BEGIN\ntransaction:t-%d", "UNSUBSCRIBE\nid:nothing-%d",
			"SUBSCRIBE\nid:s-%d\ndestination:/topic/nowhere/x" })
	void aFloodOfAnyFrameIsClosedWithOneErrorFrame(String frame) throws Exception {
		try (RawStompClient client = connected("flooder")) {
			for (int i = 0; i < 200 && client.isOpen(); i++) {
				String[] lines = String.format(frame, i).split("\n");
				try {
					client.send(lines[0], "", java.util.Arrays.copyOfRange(lines, 1, lines.length));
				}
				catch (IllegalStateException | IOException ex) {
					// Closed by the server while still flooding.
					break;
				}
			}
			// Everything the server sent until it closed the socket.
			CloseStatus closed = client.awaitClose(Duration.ofSeconds(10));
			List<String> errors = new ArrayList<>();
			String next;
			while ((next = client.pollFrame(Duration.ZERO)) != null) {
				if (next.startsWith("ERROR\n")) {
					errors.add(next);
				}
			}
			assertThat(errors).as("one ERROR frame, then the close")
				.singleElement()
				.satisfies((error) -> assertThat(error)
					.contains("message:Too many frames - the frame rate limit was exceeded for too long"));
			assertThat(closed.getCode()).isIn(CLOSED_WHILE_FLOODING);
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "CONNECT", "STOMP" })
	void aSecondConnectIsRefusedWithOneErrorFrameSoAConnectFloodEndsAtOnce(String command) throws Exception {
		// Spring's STOMP handler refuses a CONNECT on a connected session ("Session
		// already exists") before any interceptor: no token is checked again, and the
		// frame rate does not need to count CONNECT.
		try (RawStompClient client = connected("reconnector")) {
			for (int i = 0; i < 50 && client.isOpen(); i++) {
				try {
					client.send(command, "", "accept-version:1.2", "host:again-" + i);
				}
				catch (IllegalStateException | IOException ex) {
					// Closed by the server while still flooding.
					break;
				}
			}
			CloseStatus closed = client.awaitClose(Duration.ofSeconds(10));
			List<String> errors = new ArrayList<>();
			String next;
			while ((next = client.pollFrame(Duration.ZERO)) != null) {
				assertThat(next).as("no second CONNECTED").doesNotStartWith("CONNECTED");
				if (next.startsWith("ERROR\n")) {
					errors.add(next);
				}
			}
			assertThat(errors).as("one ERROR frame, then the close")
				.singleElement()
				.satisfies((error) -> assertThat(error).contains("message:Bad request"));
			assertThat(closed.getCode()).isIn(CLOSED_WHILE_FLOODING);
		}
	}

	@Test
	void aFloodOfHeartbeatsIsAFloodToo() throws Exception {
		// Each WebSocket message holding an end of line is a heart-beat frame to the
		// server.
		try (RawStompClient client = connected("newliner")) {
			for (int i = 0; i < 300 && client.isOpen(); i++) {
				try {
					client.sendRaw("\n");
				}
				catch (IllegalStateException | IOException ex) {
					// Closed by the server while still flooding.
					break;
				}
			}
			assertThat(client.nextFrame()).startsWith("ERROR\n").contains("message:Too many frames");
			assertThat(client.awaitClose(Duration.ofSeconds(5)).getCode()).isIn(CLOSED_WHILE_FLOODING);
		}
	}

	@Test
	void framesOverTheRateAreDroppedWithAnErrorAndTheSessionGoesOn() throws Exception {
		try (RawStompClient client = connected("overshooter")) {
			client.send("SUBSCRIBE", "", "id:errors", "destination:/user/queue/errors", "receipt:subscribed");
			assertThat(client.nextFrame()).startsWith("RECEIPT\n");
			// The burst is 40, minus the SUBSCRIBE: a few of these 45 are over.
			for (int i = 0; i < 45; i++) {
				client.send("ACK", "", "id:" + i);
			}
			assertThat(client.nextFrame()).startsWith("MESSAGE\n")
				.contains("\"error\":\"rate-limited\"")
				.contains("Too many frames: at most 20 per second; this one was dropped");
			assertThat(client.isOpen()).isTrue();
		}
	}

	@Test
	void framesWithinTheFrameRateAreAllAnswered() throws Exception {
		try (RawStompClient client = connected("acker")) {
			for (int i = 0; i < 30; i++) {
				client.send("ACK", "", "id:" + i, "receipt:r-" + i);
			}
			java.util.Set<String> receipts = new java.util.TreeSet<>();
			for (int i = 0; i < 30; i++) {
				String receipt = client.nextFrame();
				assertThat(receipt).startsWith("RECEIPT\n");
				receipts.add(receipt.replaceAll("(?s).*receipt-id:(r-\\d+).*", "$1"));
			}
			assertThat(receipts).hasSize(30);
			assertThat(client.isOpen()).isTrue();
		}
	}

	@Test
	void theStompCommandCountsAgainstTheSessionsOfAUser() throws Exception {
		// STOMP 1.2's name for CONNECT, with the token on the handshake URL.
		List<RawStompClient> sessions = new ArrayList<>();
		try {
			for (int i = 0; i < 4; i++) {
				RawStompClient client = RawStompClient.open(Transport.WEBSOCKET, this.port,
						"?access_token=" + token("stomper"));
				sessions.add(client);
				client.send("STOMP", "", "accept-version:1.2", "host:localhost");
				if (i < 3) {
					assertThat(client.nextFrame()).startsWith("CONNECTED\n");
				}
				else {
					assertThat(client.nextFrame()).startsWith("ERROR\n").contains("message:Too many sessions");
				}
			}
		}
		finally {
			for (RawStompClient session : sessions) {
				session.close();
			}
		}
	}

	@Test
	void aUsersRestPostsAreHeldToTheSendRate() throws Exception {
		TestHttp http = TestHttp.on(this.port);
		String user = token("poster");
		List<Integer> statuses = new ArrayList<>();
		HttpResponse<String> refused = null;
		for (int i = 0; i < 12; i++) {
			HttpResponse<String> response = http.post("/api/rooms/restflood/messages",
					"{\"content\":\"post " + i + "\"}", user);
			statuses.add(response.statusCode());
			if (response.statusCode() == 429 && refused == null) {
				refused = response;
			}
		}
		assertThat(statuses.subList(0, 5)).as("the burst of 5").containsOnly(201);
		assertThat(statuses).contains(429);
		assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying((v) -> assertThat(v).isEqualTo("1"));
		assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(refused.body()).contains("at most 5 per second per user");

		String service = claims("pusher").claim("roles", List.of("SERVICE"))
			.signWith(TestTokens.KEY, Jwts.SIG.HS256)
			.compact();
		for (int i = 0; i < 12; i++) {
			HttpResponse<String> response = http.post("/api/rooms/restflood/messages",
					"{\"content\":\"service " + i + "\"}", service);
			assertThat(response.statusCode()).as("a SERVICE token is not held to a user's rate").isEqualTo(201);
		}
	}

	@Test
	void aUsersHistoryReadsAreHeldToTheReadRate() throws Exception {
		TestHttp http = TestHttp.on(this.port);
		String user = token("scroller");
		for (String path : List.of("/api/rooms/readflood/messages?limit=200", "/api/direct/someone/messages")) {
			List<Integer> statuses = new ArrayList<>();
			HttpResponse<String> refused = null;
			for (int i = 0; i < 40; i++) {
				HttpResponse<String> response = http.get(path, user);
				statuses.add(response.statusCode());
				if (response.statusCode() == 429 && refused == null) {
					refused = response;
				}
			}
			assertThat(statuses.subList(0, 30)).as(path + ": the burst of 30 (parley.limits.read-burst)")
				.containsOnly(200);
			assertThat(statuses).contains(429);
			assertThat(refused.headers().firstValue("Retry-After")).isPresent();
			assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(refused.body()).contains("Too many history reads: at most 5 per second per user");
			// Both kinds of read draw on one bucket: the next kind with a fresh user.
			user = token("scroller2");
		}
		String service = claims("archiver").claim("roles", List.of("SERVICE"))
			.signWith(TestTokens.KEY, Jwts.SIG.HS256)
			.compact();
		for (int i = 0; i < 40; i++) {
			assertThat(http.get("/api/rooms/readflood/messages", service).statusCode())
				.as("a SERVICE token is not held to a user's read rate")
				.isEqualTo(200);
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
		return connected(Transport.WEBSOCKET, user);
	}

	private RawStompClient connected(Transport transport, String user) throws Exception {
		return RawStompClient.connected(transport, this.port, token(user));
	}

	/** A connected client, or null when the server refused the CONNECT. */
	private RawStompClient connectedOrNull(String user) throws Exception {
		RawStompClient client = RawStompClient.open(Transport.WEBSOCKET, this.port, "");
		client.connect("Authorization:Bearer " + token(user));
		if (client.nextFrame().startsWith("CONNECTED\n")) {
			return client;
		}
		client.close();
		return null;
	}

}
