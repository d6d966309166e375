package dev.parley.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Concurrent senders into one room, through the group-commit writer into the embedded
 * database: every message is stored once, numbered with no gap and no duplicate, and
 * published in {@code seq} order.
 */
@SpringBootTest
class MessageWriterConcurrencyTests {

	@Autowired
	MessageWriter writer;

	@Autowired
	MessageStore store;

	@Test
	void concurrentSendersGetGaplessUniqueSequenceNumbers() throws Exception {
		concurrentSendersGetGaplessUniqueSequenceNumbers(this.writer, this.store, "h2-concurrency");
	}

	static void concurrentSendersGetGaplessUniqueSequenceNumbers(MessageWriter writer, MessageStore store, String room)
			throws Exception {
		int senders = 8;
		int perSender = 250;
		List<Long> published = new ArrayList<>();
		Set<Long> seen = ConcurrentHashMap.newKeySet();
		ExecutorService pool = Executors.newFixedThreadPool(senders);
		List<CompletableFuture<MessageStore.Stored>> results = new ArrayList<>();
		List<java.util.concurrent.Future<List<CompletableFuture<MessageStore.Stored>>>> submitted = new ArrayList<>();
		for (int s = 0; s < senders; s++) {
			int sender = s;
			submitted.add(pool.submit(() -> {
				List<CompletableFuture<MessageStore.Stored>> mine = new ArrayList<>();
				for (int i = 0; i < perSender; i++) {
					mine.add(writer.append(new Draft.Room(room, RoomMessage.Type.CHAT, "user" + sender, "m" + i,
							"c-" + room + "-" + sender + "-" + i), (stored) -> {
								// Runs on the publisher thread only: no lock needed for
								// the
								// list.
								published.add(((RoomMessage) stored.message()).seq());
								seen.add(((RoomMessage) stored.message()).seq());
							}));
				}
				return mine;
			}));
		}
		for (var future : submitted) {
			results.addAll(future.get(30, TimeUnit.SECONDS));
		}
		CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
		pool.shutdown();

		int total = senders * perSender;
		assertThat(seen).hasSize(total);
		assertThat(published).hasSize(total).isSorted();
		long first = published.get(0);
		assertThat(published.get(total - 1)).isEqualTo(first + total - 1);
		List<RoomMessage> stored = store.roomAfter(room, first - 1, Long.MAX_VALUE, total + 10);
		assertThat(stored).hasSize(total);
		assertThat(stored).extracting(RoomMessage::seq).isSorted().doesNotHaveDuplicates();
	}

	@Test
	void aRepeatedClientMessageIdIsStoredOnceAndAnsweredWithTheOriginal() throws Exception {
		List<Long> published = new ArrayList<>();
		Draft.Room draft = new Draft.Room("h2-repeat", RoomMessage.Type.CHAT, "alice", "once", "same-id");
		MessageStore.Stored first = this.writer.append(draft, (s) -> published.add(1L)).get(10, TimeUnit.SECONDS);
		MessageStore.Stored again = this.writer.append(draft, (s) -> published.add(2L)).get(10, TimeUnit.SECONDS);
		assertThat(first.repeat()).isFalse();
		assertThat(again.repeat()).isTrue();
		assertThat(again.message()).isEqualTo(first.message());
		assertThat(published).containsExactly(1L);
		assertThat(this.store.roomAfter("h2-repeat", 0, Long.MAX_VALUE, 10)).hasSize(1);
	}

	@Test
	void privateMessagesAreNumberedAndFoundForBothParties() throws Exception {
		DirectMessage sent = (DirectMessage) this.writer
			.append(new Draft.Direct("dm-alice", "dm-bob", "hi bob", null), (s) -> {
			})
			.get(10, TimeUnit.SECONDS)
			.message();
		assertThat(this.store.directAfter("dm-bob", sent.seq() - 1, 10)).containsExactly(sent);
		assertThat(this.store.directAfter("dm-alice", sent.seq() - 1, 10)).containsExactly(sent);
		assertThat(this.store.conversation("dm-bob", "dm-alice", 0, Long.MAX_VALUE, 10)).containsExactly(sent);
		assertThat(this.store.directAfter("dm-carol", 0, 10)).isEmpty();
	}

}
