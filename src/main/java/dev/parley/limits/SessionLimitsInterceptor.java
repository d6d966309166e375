package dev.parley.limits;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bucket;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.stereotype.Component;

import dev.parley.protocol.Protocol;
import dev.parley.replies.ClientErrors;
import dev.parley.replies.ErrorPayload;

/**
 * Holds each session to its limits: token buckets (Bucket4j) on {@code SEND} frames and
 * on replays ({@code SUBSCRIBE} with {@code since-seq}), and a cap on subscriptions. A
 * refused frame is dropped and reported on the session's {@code /user/queue/errors}; a
 * session that keeps sending into an empty bucket is closed with an {@code ERROR} frame.
 * The state lives in the session's attributes, so it goes with the session.
 */
@Component
public class SessionLimitsInterceptor implements ChannelInterceptor {

	private static final String RATE = SessionLimitsInterceptor.class.getName() + ".rate";

	private static final String SUBSCRIPTIONS = SessionLimitsInterceptor.class.getName() + ".subscriptions";

	private static final String REPLAYS = SessionLimitsInterceptor.class.getName() + ".replays";

	private static final String REPLAY_HEADER = Protocol.SINCE_SEQ_HEADER;

	private final LimitsProperties limits;

	private final ClientErrors errors;

	SessionLimitsInterceptor(LimitsProperties limits, ClientErrors errors) {
		this.limits = limits;
		this.errors = errors;
	}

	/**
	 * The subscription this thread's frame took a place for, until the channel says
	 * whether the frame went on ({@link #afterSendCompletion}, on the same thread).
	 */
	private final ThreadLocal<Counted> counted = new ThreadLocal<>();

	private record Counted(Set<String> ids, String id) {
	}

	@Override
	public @Nullable Message<?> preSend(Message<?> message, MessageChannel channel) {
		// Every frame: the accessor the frame was built with, not a copy of its headers
		// (what wrap makes).
		SimpMessageHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message,
				SimpMessageHeaderAccessor.class);
		if (accessor == null) {
			accessor = SimpMessageHeaderAccessor.wrap(message);
		}
		Map<String, Object> attributes = accessor.getSessionAttributes();
		String sessionId = accessor.getSessionId();
		if (attributes == null || sessionId == null || accessor.getUser() == null) {
			return message;
		}
		SimpMessageType type = accessor.getMessageType();
		if (type == SimpMessageType.MESSAGE) {
			return withinRate(message, accessor, attributes, sessionId);
		}
		if (type == SimpMessageType.SUBSCRIBE) {
			return withinSubscriptions(message, accessor, attributes, sessionId);
		}
		if (type == SimpMessageType.UNSUBSCRIBE) {
			Set<String> ids = subscriptionIds(attributes);
			String id = accessor.getSubscriptionId();
			if (id != null) {
				ids.remove(id);
			}
		}
		return message;
	}

	/**
	 * Frees the place of a subscription the server ended (a room closed to its user, for
	 * one).
	 */
	public void release(Map<String, Object> sessionAttributes, String subscriptionId) {
		subscriptionIds(sessionAttributes).remove(subscriptionId);
	}

	private @Nullable Message<?> withinRate(Message<?> message, SimpMessageHeaderAccessor accessor,
			Map<String, Object> attributes, String sessionId) {
		SessionRate rate = (SessionRate) attributes.computeIfAbsent(RATE,
				(key) -> new SessionRate(newBucket(), this.limits.sendViolations()));
		switch (rate.take()) {
			case PASS -> {
				return message;
			}
			case REFUSE -> reject(accessor, sessionId, "rate-limited",
					"Too many messages: at most " + this.limits.sendRate() + " per second; this one was dropped");
			case CLOSE -> this.errors.closeWithError(sessionId,
					"Too many messages - the rate limit was exceeded for too long", null);
			case DROP -> {
			}
		}
		return null;
	}

	private @Nullable Message<?> withinSubscriptions(Message<?> message, SimpMessageHeaderAccessor accessor,
			Map<String, Object> attributes, String sessionId) {
		String id = accessor.getSubscriptionId();
		if (id == null || id.isEmpty()) {
			// The broker would ignore it without a word.
			reject(accessor, sessionId, "bad-request", "SUBSCRIBE needs an id header");
			return null;
		}
		// Counted by id, so that an UNSUBSCRIBE of an id never subscribed frees nothing,
		// and a SUBSCRIBE that reuses a live id (the broker keeps one subscription per
		// id) takes no second place.
		Set<String> ids = subscriptionIds(attributes);
		synchronized (ids) {
			if (!ids.contains(id) && ids.size() >= this.limits.maxSubscriptions()) {
				reject(accessor, sessionId, "too-many-subscriptions",
						"At most " + this.limits.maxSubscriptions() + " subscriptions per session");
				return null;
			}
			if (accessor.getFirstNativeHeader(REPLAY_HEADER) != null && !replays(attributes).tryConsume(1)) {
				// Each replay reads the database: enough for a reconnect to replay every
				// subscription at once, not for a session that subscribes and
				// unsubscribes in a loop.
				reject(accessor, sessionId, "rate-limited", "Too many replays (since-seq): at most "
						+ this.limits.maxSubscriptions() + " at once, then one per second; subscribe again shortly");
				return null;
			}
			if (ids.add(id)) {
				this.counted.set(new Counted(ids, id));
			}
		}
		return message;
	}

	/**
	 * A SUBSCRIBE counted here and then refused by an interceptor after this one (a
	 * malformed {@code since-seq}, for one) never reaches the broker, and no UNSUBSCRIBE
	 * will ever free its place: it is given back at once.
	 */
	@Override
	public void afterSendCompletion(Message<?> message, MessageChannel channel, boolean sent, @Nullable Exception ex) {
		Counted counted = this.counted.get();
		if (counted != null) {
			this.counted.remove();
			if (!sent || ex != null) {
				counted.ids().remove(counted.id());
			}
		}
	}

	private Bucket replays(Map<String, Object> attributes) {
		return (Bucket) attributes.computeIfAbsent(REPLAYS,
				(key) -> TokenBuckets.of(this.limits.maxSubscriptions(), 1, Duration.ofSeconds(1)));
	}

	@SuppressWarnings("unchecked")
	private static Set<String> subscriptionIds(Map<String, Object> attributes) {
		return (Set<String>) attributes.computeIfAbsent(SUBSCRIPTIONS, (key) -> ConcurrentHashMap.newKeySet());
	}

	private void reject(SimpMessageHeaderAccessor accessor, String sessionId, String code, String text) {
		String user = Objects.requireNonNull(accessor.getUser(), "checked in preSend").getName();
		this.errors.report(sessionId, user,
				new ErrorPayload(code, text, accessor.getDestination(), accessor.getFirstNativeHeader("receipt")));
	}

	private Bucket newBucket() {
		return TokenBuckets.of(this.limits.sendBurst(), this.limits.sendRate(), Duration.ofSeconds(1));
	}

}
