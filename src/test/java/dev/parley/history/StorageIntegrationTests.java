package dev.parley.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

import dev.parley.support.RawStompClient;
import dev.parley.support.StompTestClient;
import dev.parley.support.TestTokens;
import dev.parley.support.Transport;

import static dev.parley.support.StompTestClient.next;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.doAnswer;

/**
 * Nothing lost, played by real clients: receipts only after the commit, a repeated
 * {@code clientMessageId} stored and broadcast once, a reconnect with {@code since-seq}
 * that misses nothing while messages keep coming, and private messages that wait for a
 * recipient who was away.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "parley.limits.send-rate=1000", "parley.limits.send-burst=1000" })
class StorageIntegrationTests {

	/** Names unique to this run, as a PostgreSQL database outlives it. */
	static final String RUN = Long.toString(System.currentTimeMillis(), 36);

	@LocalServerPort
	int port;

	@MockitoSpyBean
	MessageStore store;

	private final AtomicReference<CountDownLatch> commitGate = new AtomicReference<>();

	private final AtomicReference<RuntimeException> commitFailure = new AtomicReference<>();

	@AfterEach
	void openTheCommitPath() {
		CountDownLatch gate = this.commitGate.getAndSet(null);
		if (gate != null) {
			gate.countDown();
		}
		this.commitFailure.set(null);
	}

	@Test
	void theReceiptComesOnlyAfterTheCommit() throws Exception {
		stopTheCommitPath();
		try (RawStompClient alice = connected("receipt-alice")) {
			alice.send("SUBSCRIBE", "", "id:room", "destination:/topic/chat/receipts");
			alice.send("SEND", "{\"room\":\"receipts\"}", "destination:/app/chat.join");
			alice.send("SEND", "{\"room\":\"receipts\",\"content\":\"held\"}", "destination:/app/chat.send",
					"receipt:r-held");
			assertThat(alice.pollFrame(Duration.ofMillis(1500))).as("nothing before the commit").isNull();

			this.commitGate.get().countDown();
			List<String> frames = List.of(alice.nextFrame(), alice.nextFrame(), alice.nextFrame());
			assertThat(frames).anySatisfy((f) -> assertThat(f).startsWith("RECEIPT\n").contains("receipt-id:r-held"));
			assertThat(frames)
				.anySatisfy((f) -> assertThat(f).startsWith("MESSAGE\n").contains("\"content\":\"held\""));
		}
	}

	@Test
	void aFailedCommitGetsAnErrorWithTheReceiptIdAndNoReceipt() throws Exception {
		try (RawStompClient alice = connected("failing-alice")) {
			alice.send("SUBSCRIBE", "", "id:errors", "destination:/user/queue/errors");
			alice.send("SUBSCRIBE", "", "id:room", "destination:/topic/chat/failing");
			alice.send("SEND", "{\"room\":\"failing\"}", "destination:/app/chat.join");
			assertThat(alice.nextFrame()).contains("joined the chat");
			this.commitFailure.set(new IllegalStateException("disk full (test)"));
			alice.send("SEND", "{\"room\":\"failing\",\"content\":\"lost?\"}", "destination:/app/chat.send",
					"receipt:r-fail");
			String error = alice.nextFrame();
			assertThat(error).startsWith("MESSAGE\n")
				.contains("\"error\":\"storage-unavailable\"")
				.contains("\"receiptId\":\"r-fail\"")
				.contains("\"destination\":\"/app/chat.send\"");
			assertThat(alice.pollFrame(Duration.ofMillis(500))).isNull();
		}
	}

	@Test
	void aRepeatedClientMessageIdIsBroadcastOnceAndStillGetsItsReceipt() throws Exception {
		try (RawStompClient alice = connected("repeat-alice")) {
			alice.send("SUBSCRIBE", "", "id:room", "destination:/topic/chat/repeats");
			alice.send("SEND", "{\"room\":\"repeats\"}", "destination:/app/chat.join");
			assertThat(alice.nextFrame()).contains("joined the chat");
			String body = "{\"room\":\"repeats\",\"content\":\"only once\",\"clientMessageId\":\"c-" + RUN + "\"}";
			alice.send("SEND", body, "destination:/app/chat.send", "receipt:r-1");
			alice.send("SEND", body, "destination:/app/chat.send", "receipt:r-2");
			List<String> frames = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				frames.add(alice.nextFrame());
			}
			assertThat(alice.pollFrame(Duration.ofMillis(500))).isNull();
			assertThat(frames).filteredOn((f) -> f.startsWith("MESSAGE")).hasSize(1);
			assertThat(frames).anySatisfy((f) -> assertThat(f).contains("receipt-id:r-1"));
			assertThat(frames).anySatisfy((f) -> assertThat(f).contains("receipt-id:r-2"));
		}
	}

	@Test
	void aClientMessageIdReusedForADifferentMessageIsRefusedNotSwallowed() throws Exception {
		try (RawStompClient alice = connected("reuse-alice")) {
			alice.send("SUBSCRIBE", "", "id:errors", "destination:/user/queue/errors");
			alice.send("SUBSCRIBE", "", "id:room", "destination:/topic/chat/reuse");
			alice.send("SEND", "{\"room\":\"reuse\"}", "destination:/app/chat.join");
			assertThat(alice.nextFrame()).contains("joined the chat");
			String id = "c-reuse-" + RUN;
			alice.send("SEND", "{\"room\":\"reuse\",\"content\":\"first\",\"clientMessageId\":\"" + id + "\"}",
					"destination:/app/chat.send", "receipt:r-first");
			List<String> first = List.of(alice.nextFrame(), alice.nextFrame());
			assertThat(first).anySatisfy((f) -> assertThat(f).contains("receipt-id:r-first"));

			alice.send("SEND", "{\"room\":\"reuse\",\"content\":\"second\",\"clientMessageId\":\"" + id + "\"}",
					"destination:/app/chat.send", "receipt:r-second");
			String error = alice.nextFrame();
			assertThat(error).startsWith("MESSAGE\n")
				.contains("\"error\":\"client-message-id-reused\"")
				.contains("\"receiptId\":\"r-second\"");
			assertThat(alice.pollFrame(Duration.ofMillis(500))).as("no receipt, no broadcast").isNull();

			alice.send("SEND", "{\"room\":\"reuse\",\"content\":\"still here\"}", "destination:/app/chat.send");
			assertThat(alice.nextFrame()).as("the session stays open").contains("\"content\":\"still here\"");
		}
	}

	@Test
	void aReconnectWithSinceSeqMissesNothingWhileMessagesKeepComing() throws Exception {
		String room = "recovery-" + RUN;
		try (StompTestClient bob = connect("recovery-bob")) {
			bob.send("/app/chat.join", Map.of("room", room));
			bob.assertNoErrors();
			long lastSeen;
			try (StompTestClient carol = connect("recovery-carol")) {
				BlockingQueue<JsonNode> messages = carol.subscribe("/topic/chat/" + room);
				carol.sync();
				bob.send("/app/chat.send", Map.of("room", room, "content", "before"));
				lastSeen = next(messages).get("seq").asLong();
			}
			for (int i = 0; i < 20; i++) {
				bob.send("/app/chat.send", Map.of("room", room, "content", "while away " + i));
			}
			bob.assertNoErrors();
			Thread talker = new Thread(() -> {
				for (int i = 0; i < 30; i++) {
					bob.send("/app/chat.send", Map.of("room", room, "content", "during reconnect " + i));
					// Pacing, not a wait: spreads the talk over carol's reconnect and
					// replay.
					sleep(5);
				}
				bob.send("/app/chat.send", Map.of("room", room, "content", "last"));
			});
			talker.start();
			try (StompTestClient carol = connect("recovery-carol")) {
				StompHeaders subscribe = new StompHeaders();
				subscribe.setDestination("/topic/chat/" + room);
				subscribe.add("since-seq", Long.toString(lastSeen));
				BlockingQueue<JsonNode> messages = carol.subscribe(subscribe);
				List<Long> seqs = new ArrayList<>();
				JsonNode message;
				do {
					message = next(messages);
					// Each once: the replay hands over to live delivery by seq, without a
					// duplicate.
					seqs.add(message.get("seq").asLong());
				}
				while (!"last".equals(message.get("content").asString()));
				talker.join();
				assertThat(seqs.get(0)).isEqualTo(lastSeen + 1);
				for (int i = 1; i < seqs.size(); i++) {
					assertThat(seqs.get(i)).as("no gap").isEqualTo(seqs.get(i - 1) + 1);
				}
				assertThat(seqs).hasSize(51);
			}
		}
	}

	@Test
	void aSubscriptionIdUsedAgainAfterAReplayIsANewSubscription() throws Exception {
		String room = "reused-id-" + RUN;
		try (RawStompClient dana = connected("reuse-dana")) {
			// Private messages share one seq across users: theirs run ahead of a new
			// room's.
			for (int i = 0; i < 3; i++) {
				dana.send("SEND", "{\"recipient\":\"reuse-erin\",\"text\":\"note " + i + "\"}",
						"destination:/app/private", "receipt:p-" + i);
			}
			for (int i = 0; i < 3; i++) {
				assertThat(dana.nextFrame()).startsWith("RECEIPT");
			}
			dana.send("SUBSCRIBE", "", "id:s1", "destination:/user/queue/private", "since-seq:0", "receipt:replayed");
			dana.nextFrameMatching((frame) -> frame.startsWith("RECEIPT"));
			dana.send("UNSUBSCRIBE", "", "id:s1");
			dana.send("SUBSCRIBE", "", "id:s1", "destination:/topic/chat/" + room);
			dana.send("SEND", "{\"room\":\"" + room + "\"}", "destination:/app/chat.join");
			dana.send("SEND", "{\"room\":\"" + room + "\",\"content\":\"seen\"}", "destination:/app/chat.send");
			String frame = dana.nextFrameMatching((f) -> f.contains("\"content\":\"seen\""));
			assertThat(frame).as("the room's low seq is not taken for an earlier replay's").contains("\"seq\":2");
		}
	}

	@Test
	void replayedRoomMessagesCarryTheirSeqAsAHeaderAsLiveOnesDo() throws Exception {
		String room = "seqheader-" + RUN;
		try (RawStompClient writer = connected("seqheader-writer")) {
			writer.send("SEND", "{\"room\":\"" + room + "\"}", "destination:/app/chat.join");
			for (int i = 0; i < 3; i++) {
				writer.send("SEND", "{\"room\":\"" + room + "\",\"content\":\"m" + i + "\"}",
						"destination:/app/chat.send", "receipt:m-" + i);
			}
			for (int i = 0; i < 3; i++) {
				writer.nextFrameMatching((frame) -> frame.startsWith("RECEIPT"));
			}
		}
		try (RawStompClient reader = connected("seqheader-reader")) {
			reader.send("SUBSCRIBE", "", "id:r", "destination:/topic/chat/" + room, "since-seq:0");
			for (int i = 0; i < 4; i++) {
				String frame = reader.nextFrameMatching((f) -> f.startsWith("MESSAGE"));
				String body = frame.substring(frame.indexOf("\n\n") + 2);
				String bodySeq = body.replaceAll("(?s).*\"seq\":(\\d+).*", "$1");
				assertThat(frame).as("a replayed room message's header equals its body's seq")
					.contains("\nseq:" + bodySeq + "\n");
			}
		}
	}

	@Test
	void privateMessagesSentWhileTheRecipientWasAwayArriveOnReturn() throws Exception {
		String away = "away-" + RUN;
		try (RawStompClient alice = connected("offline-alice")) {
			alice.send("SEND", "{\"recipient\":\"" + away + "\",\"text\":\"first\"}", "destination:/app/private",
					"receipt:p-1");
			alice.send("SEND", "{\"recipient\":\"" + away + "\",\"text\":\"second\"}", "destination:/app/private",
					"receipt:p-2");
			assertThat(alice.nextFrame()).contains("receipt-id:p-1");
			assertThat(alice.nextFrame()).contains("receipt-id:p-2");
		}
		try (StompTestClient back = connect(away)) {
			StompHeaders subscribe = new StompHeaders();
			subscribe.setDestination("/user/queue/private");
			subscribe.add("since-seq", "0");
			BlockingQueue<JsonNode> inbox = back.subscribe(subscribe);
			JsonNode first = next(inbox);
			JsonNode second = next(inbox);
			assertThat(first.get("text").asString()).isEqualTo("first");
			assertThat(first.get("sender").asString()).isEqualTo("offline-alice");
			assertThat(second.get("text").asString()).isEqualTo("second");
			assertThat(second.get("seq").asLong()).isEqualTo(first.get("seq").asLong() + 1);
			back.assertNoErrors();
			assertThat(inbox).isEmpty();
		}
	}

	@Test
	void aBadSinceSeqIsRefusedWithAClearError() {
		try (StompTestClient carol = connect("since-carol")) {
			StompHeaders subscribe = new StompHeaders();
			subscribe.setDestination("/topic/chat/anything");
			subscribe.add("since-seq", "yesterday");
			carol.subscribe(subscribe);
			JsonNode error = carol.nextError();
			assertThat(error.get("error").asString()).isEqualTo("bad-request");
			assertThat(error.get("message").asString()).contains("since-seq");
		}
	}

	private void stopTheCommitPath() {
		this.commitGate.set(new CountDownLatch(1));
	}

	@org.junit.jupiter.api.BeforeEach
	void gateTheStore() {
		doAnswer((invocation) -> {
			CountDownLatch gate = this.commitGate.get();
			if (gate != null) {
				gate.await(30, TimeUnit.SECONDS);
			}
			RuntimeException failure = this.commitFailure.get();
			if (failure != null) {
				throw failure;
			}
			return invocation.callRealMethod();
		}).when(this.store).store(anyList());
	}

	private RawStompClient connected(String user) throws Exception {
		return RawStompClient.connected(Transport.WEBSOCKET, this.port, TestTokens.valid(user));
	}

	private StompTestClient connect(String user) {
		return StompTestClient.connectAs(Transport.WEBSOCKET, this.port, user);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
