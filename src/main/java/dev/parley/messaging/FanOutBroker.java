package dev.parley.messaging;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.broker.SimpleBrokerMessageHandler;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderInitializer;

import dev.parley.protocol.Protocol;

/**
 * Spring's in-memory broker, fanning a broadcast out to its subscribers' outboxes itself.
 * <p>
 * Works around {@link SimpleBrokerMessageHandler#sendMessageToSubscribers}, which makes
 * every subscriber of a destination a message of its own (a header accessor, a copy of
 * every header, a {@code MessageHeaders} with a new id and timestamp) and sends it
 * through the client outbound channel (its interceptors, a task, the handler's look-up of
 * the session): per delivery, 1,000 times for a room of 1,000. Here the broadcast is
 * encoded once ({@link MessageFrames}), the subscribers are read from the
 * {@link ExactSubscriptionRegistry} without a map made of them, and each subscriber's
 * frame goes straight to its session's {@link Outbox}, in the order the broker handles
 * broadcasts, as before. Written by hand because Spring's broker has no hook per
 * broadcast other than this method.
 * <p>
 * A delivery still takes Spring's path, one message through the outbound channel, when
 * the session is not one of the outboxes, the message is one {@code MessageFrames} does
 * not encode, an outbound interceptor wants to see it ({@link FanOutInterceptor}: a
 * replay in progress holds a subscription's live messages back), or the outbound channel
 * has an interceptor or a subscriber that does not know of this path. One thing of
 * Spring's is not kept: the broker notes when it last wrote to a session, to send
 * heart-beats only to sessions it has not written to; a session that gets broadcasts also
 * gets its heart-beats, a newline each heart-beat interval.
 * <p>
 * {@code FanOutBrokerTests} has the canary: it fails when Spring's broker stops sending
 * one message per subscriber, or gains a setting that the copy made here would lose.
 */
final class FanOutBroker extends SimpleBrokerMessageHandler {

	private final ExactSubscriptionRegistry registry = new ExactSubscriptionRegistry();

	private final Supplier<@Nullable Deliveries> deliveries;

	private FanOutBroker(SimpleBrokerMessageHandler spring, Supplier<@Nullable Deliveries> deliveries) {
		super(spring.getClientInboundChannel(), spring.getClientOutboundChannel(), spring.getBrokerChannel(),
				spring.getDestinationPrefixes());
		this.deliveries = deliveries;
		setSubscriptionRegistry(this.registry);
		setTaskScheduler(spring.getTaskScheduler());
		setHeartbeatValue(spring.getHeartbeatValue());
		setHeaderInitializer(spring.getHeaderInitializer());
		setPreservePublishOrder(spring.isPreservePublishOrder());
		setApplicationEventPublisher(spring.getApplicationEventPublisher());
		setAutoStartup(spring.isAutoStartup());
		setPhase(spring.getPhase());
		// Spring's configuration sets this from the user destination prefix; it has no
		// getter.
		setUserDestinationPredicate((destination) -> destination.startsWith(Protocol.USER_PREFIX));
	}

	/**
	 * The bean in place of the given one: for Spring's in-memory broker, before it
	 * starts, one that fans out through the given deliveries (the session handler's, once
	 * it exists); any other bean as it is.
	 */
	static Object inPlaceOf(Object bean, Supplier<@Nullable Deliveries> deliveries) {
		if (bean.getClass() == SimpleBrokerMessageHandler.class) {
			return new FanOutBroker((SimpleBrokerMessageHandler) bean, deliveries);
		}
		return bean;
	}

	@Override
	protected void sendMessageToSubscribers(@Nullable String destination, Message<?> message) {
		Deliveries sessions = this.deliveries.get();
		Deliveries.Round round = (sessions != null && destination != null) ? sessions.round() : null;
		MessageFrames.Broadcast broadcast = (round != null) ? MessageFrames.broadcast(message) : null;
		if (round == null || broadcast == null || destination == null) {
			super.sendMessageToSubscribers(destination, message);
			return;
		}
		this.registry.forEachSubscription(destination, (sessionId, subscriptionId) -> {
			if (!round.deliver(sessionId, subscriptionId, broadcast)) {
				sendAsSpringDoes(sessionId, subscriptionId, message);
			}
		});
	}

	/** One subscriber's delivery as Spring's broker makes it, through the channel. */
	private void sendAsSpringDoes(String sessionId, String subscriptionId, Message<?> message) {
		SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		MessageHeaderInitializer initializer = getHeaderInitializer();
		if (initializer != null) {
			initializer.initHeaders(headers);
		}
		headers.setSessionId(sessionId);
		headers.setSubscriptionId(subscriptionId);
		headers.copyHeadersIfAbsent(message.getHeaders());
		headers.setLeaveMutable(true);
		MessageChannel channel = getClientOutboundChannelForSession(sessionId);
		try {
			channel.send(MessageBuilder.createMessage(message.getPayload(), headers.getMessageHeaders()));
		}
		catch (RuntimeException ex) {
			// As Spring's broker: one subscriber's failure is not the others'.
			if (this.logger.isErrorEnabled()) {
				this.logger.error("Failed to send " + message, ex);
			}
		}
	}

	/** Where the broker's fan-out writes: the sessions' outboxes. */
	interface Deliveries {

		/**
		 * The deliveries of one broadcast, or null when all of them must take the
		 * outbound channel (an interceptor or subscriber there that does not know of this
		 * path).
		 */
		@Nullable Round round();

		/** The deliveries of one broadcast. */
		@FunctionalInterface
		interface Round {

			/**
			 * Writes the subscriber's frame of the broadcast to its session; false when
			 * the delivery must take the outbound channel instead.
			 */
			boolean deliver(String sessionId, String subscriptionId, MessageFrames.Broadcast broadcast);

		}

	}

}
