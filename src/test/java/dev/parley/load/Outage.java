package dev.parley.load;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.crypto.spec.SecretKeySpec;

import io.jsonwebtoken.Jwts;

import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The load tool's outage probe: one client sends a room message with a receipt every
 * {@code --interval-ms} (100) for {@code --seconds} (30), and records, for each, how long
 * until its answer came and whether it was a {@code RECEIPT} or an error. Meant to run
 * while the database is stopped and started again ({@code scripts/bench-outage.sh}): it
 * prints the send-to-error times during the outage and how long until messages were
 * stored again. Targets 127.0.0.0/8 only.
 */
final class Outage {

	private Outage() {
	}

	/** What became of one message. */
	private record Answer(long sentAtMillis, long tookMillis, boolean stored) {
	}

	static void run(URI url, String secret, int seconds, int intervalMillis) throws Exception {
		var key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
		String token = Jwts.builder()
			.subject("outage-probe")
			.expiration(Date.from(Instant.now().plus(Duration.ofHours(1))))
			.signWith(key, Jwts.SIG.HS256)
			.compact();
		Map<Integer, Long> sentAt = new ConcurrentHashMap<>();
		List<Answer> answers = java.util.Collections.synchronizedList(new ArrayList<>());
		CountDownLatch joined = new CountDownLatch(1);
		long origin = System.nanoTime();
		WebSocketSession session = new StandardWebSocketClient().execute(new TextWebSocketHandler() {
			@Override
			public void afterConnectionEstablished(WebSocketSession session) throws Exception {
				session.sendMessage(new TextMessage("CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\n"
						+ "Authorization:Bearer " + token + "\n\n\0"));
			}

			@Override
			protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
				String frame = message.getPayload();
				if (frame.startsWith("CONNECTED")) {
					session.sendMessage(new TextMessage("SUBSCRIBE\nid:errors\ndestination:/user/queue/errors\n\n\0"));
					session.sendMessage(new TextMessage(
							"SEND\ndestination:/app/chat.join\nreceipt:join\n\n{\"room\":\"outage\"}\0"));
					return;
				}
				java.util.regex.Matcher id = java.util.regex.Pattern
					.compile("(receipt-id:|\"receiptId\":\")(\\d+|join)")
					.matcher(frame);
				if (!id.find()) {
					return;
				}
				if (id.group(2).equals("join")) {
					joined.countDown();
					return;
				}
				int n = Integer.parseInt(id.group(2));
				Long sent = sentAt.remove(n);
				if (sent != null) {
					answers.add(new Answer((sent - origin) / 1_000_000, (System.nanoTime() - sent) / 1_000_000,
							frame.startsWith("RECEIPT")));
				}
			}
		}, new WebSocketHttpHeaders(), url).get(30, TimeUnit.SECONDS);
		if (!joined.await(30, TimeUnit.SECONDS)) {
			throw new IllegalStateException("Could not join the room");
		}
		int total = seconds * 1000 / intervalMillis;
		for (int n = 0; n < total; n++) {
			sentAt.put(n, System.nanoTime());
			synchronized (session) {
				session.sendMessage(new TextMessage("SEND\ndestination:/app/chat.send\nreceipt:" + n
						+ "\n\n{\"room\":\"outage\",\"content\":\"probe " + n + "\"}\0"));
			}
			Thread.sleep(intervalMillis);
		}
		Thread.sleep(5000);
		session.close();
		List<Answer> sorted;
		synchronized (answers) {
			sorted = new ArrayList<>(answers);
		}
		sorted.sort(java.util.Comparator.comparingLong(Answer::sentAtMillis));
		List<Long> errors = sorted.stream().filter((a) -> !a.stored()).map(Answer::tookMillis).sorted().toList();
		Answer firstError = sorted.stream().filter((a) -> !a.stored()).findFirst().orElse(null);
		Answer lastError = sorted.stream().filter((a) -> !a.stored()).reduce((a, b) -> b).orElse(null);
		Answer recovered = (lastError == null) ? null
				: sorted.stream()
					.filter((a) -> a.stored() && a.sentAtMillis() > lastError.sentAtMillis())
					.findFirst()
					.orElse(null);
		System.out.printf("messages=%d answered=%d stored=%d refused=%d unanswered=%d%n", total, sorted.size(),
				sorted.size() - errors.size(), errors.size(), sentAt.size());
		if (firstError != null) {
			System.out.printf("send-to-error ms: first=%d (sent at %.1f s), p50=%d, p99=%d, max=%d%n",
					firstError.tookMillis(), firstError.sentAtMillis() / 1000.0, errors.get(errors.size() / 2),
					errors.get(Math.min(errors.size() - 1, errors.size() * 99 / 100)), errors.get(errors.size() - 1));
		}
		if (recovered != null) {
			System.out.printf("stored again from %.1f s (last refusal sent at %.1f s)%n",
					recovered.sentAtMillis() / 1000.0, lastError.sentAtMillis() / 1000.0);
		}
		System.exit(0);
	}

}
