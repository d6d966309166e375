package dev.parley.load;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.spec.SecretKeySpec;

import io.jsonwebtoken.Jwts;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import dev.parley.support.Transport;

/**
 * Parley's load tool: many STOMP clients on one machine's loopback, each sending room
 * messages with receipts and keeping a window of them in flight; it reports stored
 * messages per second (receipts come only after the commit) and receipt latency
 * percentiles. Bounded in count and time; targets 127.0.0.0/8 only.
 * <p>
 * {@code scripts/bench-storage.sh} builds the server, starts it, runs this and stops it.
 * Arguments, all optional:
 * {@code --url ws://127.0.0.1:8080/ws --secret-file ./data/jwt-secret --clients 50 --messages 2000 --window 16
 * --rooms 5 --timeout 120}. {@code --scenario resubscribe} runs the reconnect storm
 * instead ({@link Resubscribe}), {@code --scenario outage} the outage probe
 * ({@link Outage}), {@code --scenario slow-consumers} readers beside clients that stop
 * reading ({@link SlowConsumers}), {@code --scenario cross-node} latency on the
 * publisher's node and on another node in redis mode ({@link CrossNode}, with
 * {@code --url2}).
 */
public final class LoadTool {

	private LoadTool() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = options(args);
		URI url = URI.create(options.getOrDefault("url", "ws://127.0.0.1:8080/ws"));
		if (!url.getHost().startsWith("127.") && !url.getHost().equals("localhost")) {
			throw new IllegalArgumentException("The load tool only targets loopback addresses, not " + url.getHost());
		}
		String secret = (System.getenv("PARLEY_SECURITY_JWT_SECRET") != null)
				? System.getenv("PARLEY_SECURITY_JWT_SECRET")
				: Files.readString(Path.of(options.getOrDefault("secret-file", "./data/jwt-secret"))).trim();
		int clients = Integer.parseInt(options.getOrDefault("clients", "50"));
		int messages = Integer.parseInt(options.getOrDefault("messages", "2000"));
		int window = Integer.parseInt(options.getOrDefault("window", "16"));
		int rooms = Integer.parseInt(options.getOrDefault("rooms", "5"));
		long timeout = Long.parseLong(options.getOrDefault("timeout", "120"));
		if ("resubscribe".equals(options.get("scenario"))) {
			Resubscribe.run(url, secret, clients, rooms, timeout);
			return;
		}
		if ("slow-consumers".equals(options.get("scenario"))) {
			SlowConsumers.run(url, secret, Integer.parseInt(options.getOrDefault("readers", "50")),
					Integer.parseInt(options.getOrDefault("rate", "200")),
					Integer.parseInt(options.getOrDefault("seconds", "20")),
					Integer.parseInt(options.getOrDefault("size", "2000")));
			return;
		}
		if ("cross-node".equals(options.get("scenario"))) {
			URI other = URI.create(options.getOrDefault("url2", "ws://127.0.0.1:18082/ws"));
			if (!other.getHost().startsWith("127.")) {
				throw new IllegalArgumentException("The load tool only targets loopback addresses");
			}
			CrossNode.run(url, other, secret, Integer.parseInt(options.getOrDefault("readers", "100")),
					Integer.parseInt(options.getOrDefault("rate", "200")),
					Integer.parseInt(options.getOrDefault("seconds", "20")));
			return;
		}
		if ("outage".equals(options.get("scenario"))) {
			Outage.run(url, secret, Integer.parseInt(options.getOrDefault("seconds", "30")),
					Integer.parseInt(options.getOrDefault("interval-ms", "100")));
			return;
		}
		var key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");

		Recorder latencies = new Recorder(3);
		AtomicLong errors = new AtomicLong();
		CountDownLatch connected = new CountDownLatch(clients);
		CountDownLatch finished = new CountDownLatch(clients);
		CountDownLatch go = new CountDownLatch(1);
		StandardWebSocketClient webSocket = new StandardWebSocketClient();
		List<WebSocketSession> sessions = new ArrayList<>();
		for (int i = 0; i < clients; i++) {
			String token = Jwts.builder()
				.subject("load-" + i)
				.expiration(Date.from(Instant.now().plus(Duration.ofHours(1))))
				.signWith(key, Jwts.SIG.HS256)
				.compact();
			Sender sender = new Sender("room-" + (i % rooms), messages, window, latencies, errors, connected, finished,
					go);
			sender.token = token;
			WebSocketHttpHeaders headers = new WebSocketHttpHeaders();
			sessions.add(webSocket.execute(sender, headers, url).get(30, TimeUnit.SECONDS));
		}
		if (!connected.await(60, TimeUnit.SECONDS)) {
			throw new IllegalStateException("Not every client connected and joined within 60 s: "
					+ (clients - connected.getCount()) + " of " + clients + " did");
		}
		Instant start = Instant.now();
		go.countDown();
		boolean done = finished.await(timeout, TimeUnit.SECONDS);
		Duration took = Duration.between(start, Instant.now());
		for (WebSocketSession session : sessions) {
			session.close();
		}
		Histogram histogram = latencies.getIntervalHistogram();
		long stored = histogram.getTotalCount();
		System.out.printf("clients=%d rooms=%d messages/client=%d window=%d%n", clients, rooms, messages, window);
		System.out.printf("stored with receipt: %d in %.2f s = %.0f messages/s%s%n", stored, took.toMillis() / 1000.0,
				stored * 1000.0 / Math.max(1, took.toMillis()), done ? "" : " (timed out)");
		System.out.printf("receipt latency ms: p50=%.1f p90=%.1f p99=%.1f max=%.1f; errors=%d%n",
				histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(90) / 1000.0,
				histogram.getValueAtPercentile(99) / 1000.0, histogram.getMaxValue() / 1000.0, errors.get());
		System.exit((done && errors.get() == 0) ? 0 : 1);
	}

	/**
	 * One client: joins its room, then sends with receipts, keeping {@code window} in
	 * flight.
	 */
	private static final class Sender extends TextWebSocketHandler {

		private final String room;

		private final int total;

		private final int window;

		private final Recorder latencies;

		private final AtomicLong errors;

		private final CountDownLatch connected;

		private final CountDownLatch finished;

		private final CountDownLatch go;

		private final long[] sentAt;

		private int sent;

		private String token = "";

		private int received;

		Sender(String room, int total, int window, Recorder latencies, AtomicLong errors, CountDownLatch connected,
				CountDownLatch finished, CountDownLatch go) {
			this.room = room;
			this.total = total;
			this.window = window;
			this.latencies = latencies;
			this.errors = errors;
			this.connected = connected;
			this.finished = finished;
			this.go = go;
			this.sentAt = new long[total];
		}

		/**
		 * A WebSocket session takes one send at a time: every send of this client happens
		 * while holding its monitor, whichever thread it is on (the connecting thread,
		 * the receiving thread, the sending thread).
		 */
		@Override
		public void afterConnectionEstablished(WebSocketSession session) throws Exception {
			synchronized (this) {
				session.sendMessage(new TextMessage(frame("CONNECT", "", "accept-version:1.2", "host:localhost",
						"heart-beat:0,0", "Authorization:Bearer " + this.token)));
			}
		}

		@Override
		public void handleTransportError(WebSocketSession session, Throwable exception) {
			this.errors.incrementAndGet();
			System.err.println("Transport error on " + this.room + ": " + exception);
		}

		@Override
		public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
			if (this.finished.getCount() > 0) {
				System.err.println("Closed early on " + this.room + ": " + status);
			}
		}

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
			String frame = message.getPayload();
			if (frame.startsWith("CONNECTED")) {
				synchronized (this) {
					session.sendMessage(
							new TextMessage(frame("SUBSCRIBE", "", "id:errors", "destination:/user/queue/errors")));
					session.sendMessage(new TextMessage(frame("SEND", "{\"room\":\"" + this.room + "\"}",
							"destination:/app/chat.join", "receipt:join")));
				}
			}
			else if (frame.startsWith("RECEIPT")) {
				String id = frame.substring(frame.indexOf("receipt-id:") + 11).split("\n", 2)[0];
				if (id.equals("join")) {
					this.connected.countDown();
					new Thread(() -> startSending(session), "load-sender").start();
					return;
				}
				int n = Integer.parseInt(id);
				this.latencies.recordValue((System.nanoTime() - this.sentAt[n]) / 1000);
				synchronized (this) {
					this.received++;
					if (this.received == this.total) {
						this.finished.countDown();
					}
					else if (this.sent < this.total) {
						send(session);
					}
				}
			}
			else if (frame.startsWith("ERROR") || frame.contains("\"error\"")) {
				this.errors.incrementAndGet();
				System.err.println(frame.replace('\0', ' ').replace('\n', ' '));
			}
		}

		private void startSending(WebSocketSession session) {
			try {
				this.go.await();
				synchronized (this) {
					for (int i = 0; i < this.window && this.sent < this.total; i++) {
						send(session);
					}
				}
			}
			catch (Exception ex) {
				this.errors.incrementAndGet();
			}
		}

		private void send(WebSocketSession session) {
			int n = this.sent++;
			this.sentAt[n] = System.nanoTime();
			try {
				session.sendMessage(new TextMessage(
						frame("SEND", "{\"room\":\"" + this.room + "\",\"content\":\"load message " + n + "\"}",
								"destination:/app/chat.send", "receipt:" + n)));
			}
			catch (Exception ex) {
				this.errors.incrementAndGet();
			}
		}

	}

	private static String frame(String command, String body, String... headers) {
		StringBuilder frame = new StringBuilder(command).append('\n');
		for (String header : headers) {
			frame.append(header).append('\n');
		}
		return frame.append('\n').append(body).append('\0').toString();
	}

	private static Map<String, String> options(String[] args) {
		Map<String, String> options = new HashMap<>();
		for (int i = 0; i + 1 < args.length; i += 2) {
			options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
		}
		return options;
	}

}
