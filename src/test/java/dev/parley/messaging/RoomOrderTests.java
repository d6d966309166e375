package dev.parley.messaging;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.scheduling.concurrent.ConcurrentTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A room's messages from several nodes, delivered to each subscription in {@code seq}
 * order.
 */
class RoomOrderTests {

	/** What reached the session, in order. */
	private final List<Long> delivered = new CopyOnWriteArrayList<>();

	private final MessageChannel outbound = new MessageChannel() {
		@Override
		public boolean send(Message<?> message, long timeout) {
			Message<?> passed = RoomOrderTests.this.order.preSend(message, this);
			if (passed != null) {
				RoomOrderTests.this.delivered.add(seqOf(passed));
			}
			return true;
		}
	};

	private final RoomOrder order = new RoomOrder(this.outbound,
			new ConcurrentTaskScheduler(Executors.newSingleThreadScheduledExecutor()), Duration.ofMillis(300));

	@Test
	void interleavedBatchesOfTwoNodesArriveInSeqOrder() {
		for (long seq : new long[] { 24, 25, 35, 26, 36, 27, 28, 29, 30, 31, 32, 33, 34, 37 }) {
			this.outbound.send(message("s1", "sub-1", seq));
		}
		assertThat(this.delivered).containsExactly(24L, 25L, 26L, 27L, 28L, 29L, 30L, 31L, 32L, 33L, 34L, 35L, 36L,
				37L);
	}

	@Test
	void aMessageThatNeverComesHoldsTheOthersForTheWindowOnly() {
		this.outbound.send(message("s1", "sub-1", 1));
		this.outbound.send(message("s1", "sub-1", 3));
		this.outbound.send(message("s1", "sub-1", 4));
		assertThat(this.delivered).containsExactly(1L);

		await().atMost(Duration.ofSeconds(2)).until(() -> this.delivered.size() == 3);
		assertThat(this.delivered).containsExactly(1L, 3L, 4L);
		this.outbound.send(message("s1", "sub-1", 5));
		assertThat(this.delivered).containsExactly(1L, 3L, 4L, 5L);
	}

	@Test
	void eachSubscriptionHasItsOwnPlace() {
		this.outbound.send(message("s1", "sub-1", 10));
		this.outbound.send(message("s2", "sub-1", 12));
		this.outbound.send(message("s1", "sub-2", 11));
		assertThat(this.delivered).containsExactly(10L, 12L, 11L);
	}

	@Test
	void aLateMessageGoesAtOnce() {
		this.outbound.send(message("s1", "sub-1", 8));
		this.outbound.send(message("s1", "sub-1", 7));
		assertThat(this.delivered).containsExactly(8L, 7L);
	}

	@Test
	void aSubscriptionIdUsedAgainStartsAfresh() {
		this.outbound.send(message("s1", "sub-1", 8));
		this.order.forget("s1", "sub-1");
		this.outbound.send(message("s1", "sub-1", 20));
		assertThat(this.delivered).containsExactly(8L, 20L);
	}

	@Test
	void messagesWithoutSeqAreNotTouched() {
		this.outbound.send(message("s1", "sub-1", 8));
		SimpMessageHeaderAccessor users = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		users.setSessionId("s1");
		users.setSubscriptionId("sub-1");
		users.setDestination("/topic/chat/lobby/users");
		Message<byte[]> list = MessageBuilder.createMessage(new byte[0], users.getMessageHeaders());
		assertThat(this.order.preSend(list, this.outbound)).isSameAs(list);
	}

	private static Message<byte[]> message(String sessionId, String subscriptionId, long seq) {
		SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		headers.setSessionId(sessionId);
		headers.setSubscriptionId(subscriptionId);
		headers.setDestination("/topic/chat/lobby");
		headers.setNativeHeader("seq", Long.toString(seq));
		return MessageBuilder.createMessage(new byte[0], headers.getMessageHeaders());
	}

	private static long seqOf(Message<?> message) {
		return Long.parseLong(SimpMessageHeaderAccessor.getFirstNativeHeader("seq", message.getHeaders()));
	}

}
