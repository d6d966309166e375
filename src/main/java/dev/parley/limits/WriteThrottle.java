package dev.parley.limits;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Holds each user's REST writes (room posts, room creations, membership changes) to the
 * same rate as their STOMP {@code SEND} frames ({@code parley.limits.send-rate} and
 * {@code send-burst}), so the REST API is no way around the chat's own limit. One bucket
 * per user, shared by all of the user's REST writes. Backend services ({@code SERVICE}
 * tokens) are not held to it: they are trusted to pace themselves, and post for many
 * users.
 */
@Component
public class WriteThrottle {

	private final UserThrottle throttle;

	WriteThrottle(LimitsProperties limits, ObjectProvider<SharedBuckets> shared) {
		this.throttle = new UserThrottle("write", "writes", limits.sendRate(), limits.sendBurst(),
				shared.getIfAvailable());
	}

	/**
	 * Takes one write from the user's budget, or refuses with 429 and
	 * {@code Retry-After}. The caller leaves out backend services.
	 */
	public void acquire(String user) {
		this.throttle.acquire(user);
	}

}
