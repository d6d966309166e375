package dev.parley.load;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.spec.SecretKeySpec;

import io.jsonwebtoken.Jwts;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The load tool's reconnect storm: N clients connect at once, each subscribes to its room
 * with {@code since-seq} (the room's newest {@code seq}, as a client that was caught up)
 * and joins it, as clients do after a restart or a drain. It reports how long until every
 * client was connected, and until every one had its subscription and join answered (both
 * with receipts). Run it twice against one server, stopping and starting the server in
 * between, to see the reconnect after a restart ({@code scripts/bench-restart.sh}).
 * Bounded in count and time; targets 127.0.0.0/8 only.
 */
final class Resubscribe {

	private Resubscribe() {
	}

	static void run(URI url, String secret, int clients, int rooms, long timeoutSeconds) throws Exception {
		var key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
		CountDownLatch connected = new CountDownLatch(clients);
		CountDownLatch answered = new CountDownLatch(clients);
		AtomicLong errors = new AtomicLong();
		StandardWebSocketClient webSocket = new StandardWebSocketClient();
		List<CompletableFuture<WebSocketSession>> sessions = new ArrayList<>();
		// Clients that were caught up before the restart resubscribe from the newest seq
		// they saw.
		long[] since = new long[rooms];
		String reader = token(key, "reconnect-reader");
		java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
		for (int room = 0; room < rooms; room++) {
			String body = http.send(
					java.net.http.HttpRequest
						.newBuilder(URI.create("http://" + url.getHost() + ":" + url.getPort() + "/api/rooms/room-"
								+ room + "/messages?limit=1"))
						.header("Authorization", "Bearer " + reader)
						.build(),
					java.net.http.HttpResponse.BodyHandlers.ofString())
				.body();
			java.util.regex.Matcher seq = java.util.regex.Pattern.compile("\"seq\":(\\d+)").matcher(body);
			since[room] = seq.find() ? Long.parseLong(seq.group(1)) : 0;
		}
		long start = System.nanoTime();
		for (int i = 0; i < clients; i++) {
			String token = token(key, "reconnect-" + i);
			sessions.add(webSocket.execute(
					new Client(token, "room-" + (i % rooms), since[i % rooms], connected, answered, errors),
					new org.springframework.web.socket.WebSocketHttpHeaders(), url));
		}
		boolean allConnected = connected.await(timeoutSeconds, TimeUnit.SECONDS);
		long connectedAt = System.nanoTime();
		boolean allAnswered = answered.await(timeoutSeconds, TimeUnit.SECONDS);
		long answeredAt = System.nanoTime();
		for (CompletableFuture<WebSocketSession> session : sessions) {
			if (session.isDone() && !session.isCompletedExceptionally()) {
				session.get().close();
			}
		}
		System.out.printf("clients=%d rooms=%d%n", clients, rooms);
		System.out.printf("all connected in %.2f s%s; all subscribed (since-seq) and joined in %.2f s%s; errors=%d%n",
				(connectedAt - start) / 1e9, allConnected ? "" : " (timed out)", (answeredAt - start) / 1e9,
				allAnswered ? "" : " (timed out: " + answered.getCount() + " left)", errors.get());
		System.exit((allAnswered && errors.get() == 0) ? 0 : 1);
	}

	/** A token for a load-tool user, valid for an hour. */
	static String token(SecretKeySpec key, String user) {
		return Jwts.builder()
			.subject(user)
			.expiration(Date.from(Instant.now().plus(Duration.ofHours(1))))
			.signWith(key, Jwts.SIG.HS256)
			.compact();
	}

	/**
	 * One client: CONNECT, then SUBSCRIBE with since-seq and a join, each with a receipt.
	 */
	private static final class Client extends TextWebSocketHandler {

		private final String token;

		private final String room;

		private final long since;

		private final CountDownLatch connected;

		private final CountDownLatch answered;

		private final AtomicLong errors;

		private int receipts;

		Client(String token, String room, long since, CountDownLatch connected, CountDownLatch answered,
				AtomicLong errors) {
			this.token = token;
			this.room = room;
			this.since = since;
			this.connected = connected;
			this.answered = answered;
			this.errors = errors;
		}

		@Override
		public synchronized void afterConnectionEstablished(WebSocketSession session) throws Exception {
			session.sendMessage(new TextMessage("CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\n"
					+ "Authorization:Bearer " + this.token + "\n\n\0"));
		}

		@Override
		protected synchronized void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
			String frame = message.getPayload();
			if (frame.startsWith("CONNECTED")) {
				this.connected.countDown();
				session.sendMessage(new TextMessage("SUBSCRIBE\nid:errors\ndestination:/user/queue/errors\n\n\0"));
				session.sendMessage(new TextMessage("SUBSCRIBE\nid:room\ndestination:/topic/chat/" + this.room
						+ "\nsince-seq:" + this.since + "\nreceipt:subscribed\n\n\0"));
				session.sendMessage(new TextMessage(
						"SEND\ndestination:/app/chat.join\nreceipt:joined\n\n{\"room\":\"" + this.room + "\"}\0"));
			}
			else if (frame.startsWith("RECEIPT") && ++this.receipts == 2) {
				this.answered.countDown();
			}
			else if (frame.startsWith("ERROR") || frame.contains("destination:/user/queue/errors")) {
				this.errors.incrementAndGet();
				System.err.println(frame.replace('\0', ' ').replace('\n', ' '));
			}
		}

		@Override
		public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
			if (this.answered.getCount() > 0 && this.receipts < 2) {
				System.err.println("Closed early: " + status);
			}
		}

	}

}
