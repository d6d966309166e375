package dev.parley.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.parley.support.RawStompClient;
import dev.parley.support.TestTokens;
import dev.parley.support.Transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ordinary traffic for minutes: 20 clients in 4 rooms, each sending with receipts. Every
 * client must see each room's messages in {@code seq} order with no repeat and no gap,
 * its own message before that message's {@code RECEIPT}, and no session may be closed.
 * ({@code -Dparley.ordering.seconds=N} sets the length; 120 s by default.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "parley.rooms.leave-grace=0s")
class OrderingIntegrationTests {

	private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

	private static final Pattern CONTENT = Pattern.compile("\"content\":\"([^\"]*)\"");

	private static final Pattern RECEIPT = Pattern.compile("receipt-id:(\\S+)");

	@LocalServerPort
	int port;

	@Test
	void everyClientSeesEachRoomInSeqOrderAndItsOwnMessageBeforeItsReceipt() throws Exception {
		Duration length = Duration.ofSeconds(Long.getLong("parley.ordering.seconds", 120));
		List<Client> clients = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			clients.add(new Client("orderly" + i, "order-room" + (i % 4)));
		}
		ScheduledExecutorService senders = Executors.newScheduledThreadPool(2);
		AtomicBoolean running = new AtomicBoolean(true);
		try {
			for (Client client : clients) {
				client.join(this.port);
			}
			for (Client client : clients) {
				// 2 to 5 messages a second each, at staggered times.
				long period = 200 + (client.name.hashCode() & 0x7F) * 2;
				senders.scheduleAtFixedRate(() -> {
					if (running.get()) {
						client.sendNext();
					}
				}, client.name.length() * 7L, period, TimeUnit.MILLISECONDS);
			}
			// The traffic runs for the test's length: a soak, not a wait for anything.
			long deadline = System.nanoTime() + length.toNanos();
			while (System.nanoTime() < deadline) {
				for (Client client : clients) {
					client.check(Duration.ofMillis(50));
				}
			}
			running.set(false);
			senders.shutdown();
			assertThat(senders.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
			for (Client client : clients) {
				client.drain();
			}
		}
		finally {
			senders.shutdownNow();
			for (Client client : clients) {
				client.close();
			}
		}
		int delivered = 0;
		for (Client client : clients) {
			assertThat(client.problems).as(client.name).isEmpty();
			assertThat(client.open).as(client.name + " still connected").isTrue();
			assertThat(client.unanswered()).as(client.name + " receipts outstanding").isEmpty();
			delivered += client.messages;
		}
		assertThat(delivered).as("messages delivered in all").isGreaterThan(1000);
	}

	/** One client: what it sent, what it saw, and what was wrong with it. */
	private static final class Client {

		final String name;

		final String room;

		RawStompClient stomp;

		final AtomicInteger counter = new AtomicInteger();

		/** Contents sent, in order, not yet seen back. */
		final Set<String> sentNotSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();

		final Set<String> seenOwn = new HashSet<>();

		final Set<String> receipted = new HashSet<>();

		final ConcurrentLinkedQueue<String> sent = new ConcurrentLinkedQueue<>();

		final Map<String, Long> lastSeq = new HashMap<>();

		final List<String> problems = new ArrayList<>();

		int messages;

		boolean open = true;

		Client(String name, String room) {
			this.name = name;
			this.room = room;
		}

		void join(int port) throws Exception {
			this.stomp = RawStompClient.connected(Transport.WEBSOCKET, port, TestTokens.valid(this.name));
			this.stomp.send("SUBSCRIBE", "", "id:room", "destination:/topic/chat/" + this.room);
			this.stomp.send("SUBSCRIBE", "", "id:errors", "destination:/user/queue/errors");
			this.stomp.send("SEND", "{\"room\":\"" + this.room + "\"}", "destination:/app/chat.join", "receipt:joined");
			String frame;
			do {
				frame = this.stomp.nextFrame();
				if (frame.startsWith("MESSAGE")) {
					see(frame);
				}
			}
			while (!frame.startsWith("RECEIPT"));
		}

		synchronized void sendNext() {
			String content = this.name + "-" + this.counter.incrementAndGet();
			this.sentNotSeen.add(content);
			this.sent.add(content);
			try {
				this.stomp.send("SEND", "{\"room\":\"" + this.room + "\",\"content\":\"" + content
						+ "\",\"clientMessageId\":\"" + content + "\"}", "destination:/app/chat.send",
						"receipt:" + content);
			}
			catch (Exception ex) {
				this.open = false;
			}
		}

		void check(Duration wait) throws InterruptedException {
			String frame = this.stomp.pollFrame(wait);
			while (frame != null) {
				handle(frame);
				frame = this.stomp.pollFrame(Duration.ZERO);
			}
			if (!this.stomp.isOpen()) {
				this.open = false;
			}
		}

		/**
		 * Takes in what the server still sends, until every message sent has its receipt.
		 */
		void drain() {
			await().atMost(Duration.ofSeconds(15)).pollInSameThread().untilAsserted(() -> {
				check(Duration.ofMillis(100));
				assertThat(unanswered()).as(this.name + " receipts outstanding").isEmpty();
			});
		}

		Set<String> unanswered() {
			Set<String> outstanding = new HashSet<>(this.sent);
			outstanding.removeAll(this.receipted);
			return outstanding;
		}

		private void handle(String frame) {
			if (frame.startsWith("MESSAGE")) {
				see(frame);
			}
			else if (frame.startsWith("RECEIPT")) {
				Matcher receipt = RECEIPT.matcher(frame);
				if (receipt.find()) {
					String id = receipt.group(1);
					if (!id.equals("joined") && !this.seenOwn.contains(id)) {
						this.problems.add("RECEIPT " + id + " before its own message");
					}
					this.receipted.add(id);
				}
			}
			else if (frame.startsWith("ERROR")) {
				this.problems.add("ERROR frame: " + frame);
			}
		}

		private void see(String frame) {
			if (frame.contains("destination:/user/queue/errors")) {
				this.problems.add("error: " + frame);
				return;
			}
			Matcher seq = SEQ.matcher(frame);
			if (!seq.find()) {
				return;
			}
			long value = Long.parseLong(seq.group(1));
			Long last = this.lastSeq.put(this.room, value);
			if (last != null && value != last + 1) {
				this.problems.add("seq " + value + " after " + last);
			}
			this.messages++;
			Matcher content = CONTENT.matcher(frame);
			if (content.find() && this.sentNotSeen.remove(content.group(1))) {
				this.seenOwn.add(content.group(1));
			}
		}

		void close() throws Exception {
			if (this.stomp != null) {
				this.stomp.close();
			}
		}

	}

}
