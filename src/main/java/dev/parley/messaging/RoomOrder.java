package dev.parley.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.NativeMessageHeaderAccessor;
import org.springframework.scheduling.TaskScheduler;

import dev.parley.protocol.Protocol;

/**
 * In relay mode, the first interceptor of the outbound channel: puts a room's messages
 * back in {@code seq} order for each subscription. Each node publishes its messages in
 * {@code seq} order, but RabbitMQ keeps order per publishing connection only: a batch
 * stored by one node and published while another node stores and publishes the next one
 * arrives interleaved with it (25, 35, 26, 36...). A message that comes before the one
 * just after the last delivered is held back until the missing ones come, at most
 * {@link #WINDOW}; then what was held goes, in order, gap or not.
 * <p>
 * The first message of a subscription sets where it starts: one with a lower {@code seq}
 * that comes after it (published before it by another node, but delivered after) goes at
 * once, out of order. Messages held back go with the session if it ends.
 */
final class RoomOrder implements ChannelInterceptor {

	/** How long a message waits for the ones before it. */
	static final Duration WINDOW = Duration.ofSeconds(1);

	/** Set while this sends what it held back, which passes it then. */
	private static final ThreadLocal<Boolean> releasing = ThreadLocal.withInitial(() -> false);

	private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();

	private final MessageChannel outbound;

	private final TaskScheduler scheduler;

	private final Duration window;

	RoomOrder(MessageChannel outbound, TaskScheduler scheduler, Duration window) {
		this.outbound = outbound;
		this.scheduler = scheduler;
		this.window = window;
	}

	/** One subscription's place in its room's sequence. */
	private static final class Subscription {

		/** The {@code seq} to deliver next; -1 before the first message. */
		long next = -1;

		final TreeMap<Long, Message<?>> held = new TreeMap<>();

		@Nullable ScheduledFuture<?> timeout;

	}

	@Override
	public @Nullable Message<?> preSend(Message<?> message, MessageChannel channel) {
		if (releasing.get()) {
			return message;
		}
		MessageHeaders headers = message.getHeaders();
		String seqHeader = NativeMessageHeaderAccessor.getFirstNativeHeader(Protocol.SEQ_HEADER, headers);
		String sessionId = SimpMessageHeaderAccessor.getSessionId(headers);
		String subscriptionId = SimpMessageHeaderAccessor.getSubscriptionId(headers);
		String destination = SimpMessageHeaderAccessor.getDestination(headers);
		if (seqHeader == null || sessionId == null || subscriptionId == null || destination == null
				|| SimpMessageHeaderAccessor.getMessageType(headers) != SimpMessageType.MESSAGE
				|| !destination.startsWith(Protocol.ROOM_TOPIC_PREFIX)) {
			return message;
		}
		long seq;
		try {
			seq = Long.parseLong(seqHeader);
		}
		catch (NumberFormatException ex) {
			return message;
		}
		Subscription subscription = this.subscriptions.computeIfAbsent(key(sessionId, subscriptionId),
				(key) -> new Subscription());
		synchronized (subscription) {
			if (subscription.next < 0 || seq < subscription.next) {
				// The first, or one that came too late to be put in its place.
				subscription.next = Math.max(subscription.next, seq + 1);
				return message;
			}
			if (seq > subscription.next) {
				subscription.held.put(seq, message);
				if (subscription.timeout == null) {
					subscription.timeout = this.scheduler.schedule(() -> timeOut(subscription),
							Instant.now().plus(this.window));
				}
				return null;
			}
			subscription.next = seq + 1;
			if (subscription.held.isEmpty()) {
				return message;
			}
			// It fills a gap: it goes, and whatever it was keeping back, in order.
			send(message);
			while (!subscription.held.isEmpty() && subscription.held.firstKey() == subscription.next) {
				send(subscription.held.pollFirstEntry().getValue());
				subscription.next++;
			}
			if (subscription.held.isEmpty()) {
				cancelTimeout(subscription);
			}
			return null;
		}
	}

	/** The missing messages did not come: what was held goes, in order. */
	private void timeOut(Subscription subscription) {
		synchronized (subscription) {
			subscription.timeout = null;
			while (!subscription.held.isEmpty()) {
				Map.Entry<Long, Message<?>> first = subscription.held.pollFirstEntry();
				send(first.getValue());
				subscription.next = first.getKey() + 1;
			}
		}
	}

	private void send(Message<?> message) {
		releasing.set(true);
		try {
			this.outbound.send(message);
		}
		finally {
			releasing.set(false);
		}
	}

	/** A subscription id ends or is used again: it starts afresh. */
	void forget(String sessionId, String subscriptionId) {
		Subscription subscription = this.subscriptions.remove(key(sessionId, subscriptionId));
		if (subscription != null) {
			synchronized (subscription) {
				cancelTimeout(subscription);
				subscription.held.clear();
			}
		}
	}

	void forgetSession(String sessionId) {
		String prefix = sessionId + '\u0000';
		this.subscriptions.keySet()
			.stream()
			.filter((key) -> key.startsWith(prefix))
			.toList()
			.forEach((key) -> forget(sessionId, key.substring(prefix.length())));
	}

	private static void cancelTimeout(Subscription subscription) {
		ScheduledFuture<?> timeout = subscription.timeout;
		if (timeout != null) {
			timeout.cancel(false);
			subscription.timeout = null;
		}
	}

	private static String key(String sessionId, String subscriptionId) {
		return sessionId + '\u0000' + subscriptionId;
	}

}
