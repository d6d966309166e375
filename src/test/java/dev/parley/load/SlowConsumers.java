package dev.parley.load;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.spec.SecretKeySpec;

import io.jsonwebtoken.Jwts;
import org.HdrHistogram.Recorder;

import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import dev.parley.support.NonReadingClient;

/**
 * The load tool's slow-consumer scenario: readers subscribed to {@code /topic/messages}
 * take in what one publisher sends at a steady rate, first alone, then beside 1, 4 and 20
 * clients that stop reading. For each phase it prints the readers' latency from send to
 * arrival and whether any message was lost: a slow client must cost only itself. Targets
 * 127.0.0.0/8 only; bounded in count and time.
 */
final class SlowConsumers {

	private SlowConsumers() {
	}

	static void run(URI url, String secret, int readers, int rate, int seconds, int size) throws Exception {
		var key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
		System.out.printf("readers=%d rate=%d msg/s size=%d B seconds/phase=%d%n", readers, rate, size, seconds);
		System.out.println("slow clients | reader latency p50 / p99 / max ms | lost | slow clients closed");
		int phase = 0;
		// A first phase without slow clients warms the server and the tool up, and is not
		// reported.
		for (int slow : new int[] { 0, 0, 1, 4, 20 }) {
			phase++;
			boolean warmUp = (phase == 1);
			Recorder latencies = new Recorder(3);
			AtomicLong received = new AtomicLong();
			double closedBefore = slowConsumerCloses(url, key);
			CountDownLatch subscribed = new CountDownLatch(readers + 1);
			List<WebSocketSession> sessions = new ArrayList<>();
			StandardWebSocketClient webSocket = new StandardWebSocketClient();
			for (int i = 0; i < readers; i++) {
				sessions.add(
						webSocket
							.execute(new Reader(token(key, "reader-" + phase + "-" + i), subscribed, latencies,
									received), new WebSocketHttpHeaders(), url)
							.get(30, TimeUnit.SECONDS));
			}
			List<NonReadingClient> stalled = new ArrayList<>();
			for (int i = 0; i < slow; i++) {
				stalled.add(new NonReadingClient(url.getPort(), token(key, "stalled-" + phase + "-" + i),
						"/topic/messages"));
			}
			Reader publisherHandler = new Reader(token(key, "publisher-" + phase), subscribed, new Recorder(3),
					new AtomicLong());
			WebSocketSession publisher = webSocket.execute(publisherHandler, new WebSocketHttpHeaders(), url)
				.get(30, TimeUnit.SECONDS);
			if (!subscribed.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("Not every reader subscribed");
			}
			String padding = "x".repeat(Math.max(0, size - 60));
			long total = (long) rate * seconds;
			long period = 1_000_000_000L / rate;
			long start = System.nanoTime();
			for (long n = 0; n < total; n++) {
				long scheduled = start + n * period;
				while (System.nanoTime() < scheduled) {
					Thread.onSpinWait();
				}
				// Latency counts from the scheduled send time: a stalled publisher is not
				// excused.
				synchronized (publisher) {
					publisher.sendMessage(new TextMessage(
							"SEND\ndestination:/app/chat\n\n{\"text\":\"" + scheduled + " " + padding + "\"}\0"));
				}
			}
			long expected = total * readers;
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
			while (received.get() < expected && System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			double closedAsSlow = slowConsumerCloses(url, key) - closedBefore;
			for (NonReadingClient client : stalled) {
				client.close();
			}
			var histogram = latencies.getIntervalHistogram();
			if (!warmUp) {
				System.out.printf("%12d | %8.1f / %8.1f / %8.1f | %4d | %d of %d%n", slow,
						histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(99) / 1000.0,
						histogram.getMaxValue() / 1000.0, expected - received.get(), (int) closedAsSlow, slow);
			}
			publisher.close();
			for (WebSocketSession session : sessions) {
				session.close();
			}
			Thread.sleep(1000);
		}
		System.exit(0);
	}

	/**
	 * The server's count of sessions closed as slow consumers, read from its metrics with
	 * an ADMIN token.
	 */
	private static double slowConsumerCloses(URI url, SecretKeySpec key) throws Exception {
		String admin = Jwts.builder()
			.subject("load-admin")
			.claim("roles", List.of("ADMIN"))
			.expiration(Date.from(Instant.now().plus(Duration.ofHours(1))))
			.signWith(key, Jwts.SIG.HS256)
			.compact();
		var response = java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest
				.newBuilder(URI.create("http://" + url.getHost() + ":" + url.getPort()
						+ "/actuator/metrics/parley.connections.closed?tag=reason:slow-consumer"))
				.header("Authorization", "Bearer " + admin)
				.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
		java.util.regex.Matcher value = java.util.regex.Pattern.compile("\"value\":([0-9.]+)").matcher(response.body());
		return (response.statusCode() == 200 && value.find()) ? Double.parseDouble(value.group(1)) : 0;
	}

	private static String token(SecretKeySpec key, String user) {
		return Resubscribe.token(key, user);
	}

	/** A client that subscribes to the global chat and records each message's latency. */
	static final class Reader extends TextWebSocketHandler {

		private final String token;

		private final CountDownLatch subscribed;

		private final Recorder latencies;

		private final AtomicLong received;

		Reader(String token, CountDownLatch subscribed, Recorder latencies, AtomicLong received) {
			this.token = token;
			this.subscribed = subscribed;
			this.latencies = latencies;
			this.received = received;
		}

		@Override
		public synchronized void afterConnectionEstablished(WebSocketSession session) throws Exception {
			session.setTextMessageSizeLimit(1 << 20);
			session.sendMessage(new TextMessage("CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\n"
					+ "Authorization:Bearer " + this.token + "\n\n\0"));
		}

		@Override
		protected synchronized void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
			String frame = message.getPayload();
			if (frame.startsWith("CONNECTED")) {
				session.sendMessage(
						new TextMessage("SUBSCRIBE\nid:chat\ndestination:/topic/messages\nreceipt:subscribed\n\n\0"));
			}
			else if (frame.startsWith("RECEIPT")) {
				this.subscribed.countDown();
			}
			else if (frame.startsWith("MESSAGE")) {
				int at = frame.indexOf("\"text\":\"");
				if (at > 0) {
					int end = frame.indexOf(' ', at);
					long scheduled = Long.parseLong(frame.substring(at + 8, end));
					this.latencies.recordValue(Math.max(0, (System.nanoTime() - scheduled) / 1000));
					this.received.incrementAndGet();
				}
			}
		}

	}

}
