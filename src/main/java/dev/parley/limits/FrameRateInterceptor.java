package dev.parley.limits;

import java.time.Duration;
import java.util.Map;

import io.github.bucket4j.Bucket;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.stereotype.Component;

import dev.parley.replies.ClientErrors;
import dev.parley.replies.ErrorPayload;

/**
 * Holds every inbound frame of an authenticated session to a token bucket (Bucket4j),
 * ahead of authorization, so that no kind of frame ({@code ACK} with receipts,
 * {@code BEGIN}, {@code SUBSCRIBE}...) can keep the inbound threads busy at other
 * clients' expense. {@code SEND} frames are also held to their own, stricter limit by
 * {@link SessionLimitsInterceptor}. A refused frame is dropped and reported on
 * {@code /user/queue/errors}; a session that keeps sending into an empty bucket gets an
 * {@code ERROR} frame and is closed, once. {@code CONNECT} (authenticated before this;
 * Spring refuses a second one) and {@code DISCONNECT} are not counted.
 */
@Component
public class FrameRateInterceptor implements ChannelInterceptor {

	private static final String STATE = FrameRateInterceptor.class.getName() + ".state";

	private final LimitsProperties limits;

	private final ClientErrors errors;

	FrameRateInterceptor(LimitsProperties limits, ClientErrors errors) {
		this.limits = limits;
		this.errors = errors;
	}

	@Override
	public @Nullable Message<?> preSend(Message<?> message, MessageChannel channel) {
		SimpMessageHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message,
				SimpMessageHeaderAccessor.class);
		if (accessor == null) {
			accessor = SimpMessageHeaderAccessor.wrap(message);
		}
		SimpMessageType type = accessor.getMessageType();
		// Heart-beats count: a client sends one every few seconds, not hundreds a second.
		if (type == SimpMessageType.CONNECT || type == SimpMessageType.DISCONNECT) {
			return message;
		}
		Map<String, Object> attributes = accessor.getSessionAttributes();
		String sessionId = accessor.getSessionId();
		if (attributes == null || sessionId == null || accessor.getUser() == null) {
			// Not authenticated: authorization refuses it and closes the session.
			return message;
		}
		SessionRate rate = (SessionRate) attributes.computeIfAbsent(STATE,
				(key) -> new SessionRate(newBucket(), this.limits.sendViolations()));
		switch (rate.take()) {
			case PASS -> {
				return message;
			}
			case REFUSE -> this.errors.report(sessionId, accessor.getUser().getName(),
					new ErrorPayload("rate-limited",
							"Too many frames: at most " + this.limits.frameRate() + " per second; this one was dropped",
							accessor.getDestination(), accessor.getFirstNativeHeader("receipt")));
			case CLOSE -> this.errors.closeWithError(sessionId,
					"Too many frames - the frame rate limit was exceeded for too long", null);
			case DROP -> {
			}
		}
		return null;
	}

	private Bucket newBucket() {
		return TokenBuckets.of(this.limits.frameBurst(), this.limits.frameRate(), Duration.ofSeconds(1));
	}

}
