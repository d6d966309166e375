package dev.parley.load;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.spec.SecretKeySpec;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;

/**
 * The load tool's cross-node scenario, for {@code parley.broker.mode=redis}: one
 * publisher on node A sends to {@code /topic/messages} at a steady rate; half the readers
 * are on node A, half on node B. It prints both halves' latency from each message's
 * scheduled send time to its arrival, so the cost of the hop through Redis is the
 * difference between two figures measured side by side. Targets 127.0.0.0/8 only; bounded
 * in count and time.
 */
final class CrossNode {

	private CrossNode() {
	}

	static void run(URI nodeA, URI nodeB, String secret, int readers, int rate, int seconds) throws Exception {
		var key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
		System.out.printf("readers=%d (half on each node) rate=%d msg/s seconds=%d%n", readers, rate, seconds);
		System.out.println("phase   | same node p50 / p99 ms | other node p50 / p99 ms | lost");
		for (String phase : new String[] { "warm-up", "measured" }) {
			Recorder here = new Recorder(3);
			Recorder there = new Recorder(3);
			AtomicLong received = new AtomicLong();
			CountDownLatch subscribed = new CountDownLatch(readers + 1);
			StandardWebSocketClient webSocket = new StandardWebSocketClient();
			List<WebSocketSession> sessions = new ArrayList<>();
			for (int i = 0; i < readers; i++) {
				boolean onA = i % 2 == 0;
				sessions.add(
						webSocket
							.execute(
									new SlowConsumers.Reader(Resubscribe.token(key, "cross-" + phase + "-" + i),
											subscribed, onA ? here : there, received),
									new WebSocketHttpHeaders(), onA ? nodeA : nodeB)
							.get(30, TimeUnit.SECONDS));
			}
			WebSocketSession publisher = webSocket
				.execute(new SlowConsumers.Reader(Resubscribe.token(key, "cross-publisher-" + phase), subscribed,
						new Recorder(3), new AtomicLong()), new WebSocketHttpHeaders(), nodeA)
				.get(30, TimeUnit.SECONDS);
			if (!subscribed.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("Not every reader subscribed");
			}
			long total = (long) rate * seconds;
			long period = 1_000_000_000L / rate;
			long start = System.nanoTime();
			for (long n = 0; n < total; n++) {
				long scheduled = start + n * period;
				while (System.nanoTime() < scheduled) {
					Thread.onSpinWait();
				}
				synchronized (publisher) {
					publisher.sendMessage(
							new TextMessage("SEND\ndestination:/app/chat\n\n{\"text\":\"" + scheduled + " x\"}\0"));
				}
			}
			long expected = total * readers;
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
			while (received.get() < expected && System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			Histogram a = here.getIntervalHistogram();
			Histogram b = there.getIntervalHistogram();
			System.out.printf("%-8s| %8.2f / %8.2f     | %8.2f / %8.2f      | %d%n", phase,
					a.getValueAtPercentile(50) / 1000.0, a.getValueAtPercentile(99) / 1000.0,
					b.getValueAtPercentile(50) / 1000.0, b.getValueAtPercentile(99) / 1000.0,
					expected - received.get());
			publisher.close();
			for (WebSocketSession session : sessions) {
				session.close();
			}
			Thread.sleep(1000);
		}
		System.exit(0);
	}

}
