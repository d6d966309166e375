package dev.parley.limits;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Holds each user's REST history reads (a room's messages, a private conversation: up to
 * {@code parley.history.max-page} rows each) to {@code parley.limits.read-rate} per
 * second after a burst of {@code read-burst}, as {@code since-seq} replays are held per
 * session: reading history is the costliest thing a user can ask for over and over. One
 * bucket per user. Backend services ({@code SERVICE} tokens) are not held to it.
 */
@Component
public class ReadThrottle {

	private final UserThrottle throttle;

	ReadThrottle(LimitsProperties limits, ObjectProvider<SharedBuckets> shared) {
		this.throttle = new UserThrottle("read", "history reads", limits.readRate(), limits.readBurst(),
				shared.getIfAvailable());
	}

	/**
	 * Takes one read from the user's budget, or refuses with 429 and {@code Retry-After}.
	 * The caller leaves out backend services.
	 */
	public void acquire(String user) {
		this.throttle.acquire(user);
	}

}
