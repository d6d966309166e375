package dev.parley.limits;

import java.time.Duration;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import dev.parley.api.ApiProblem;

/**
 * Holds each user's REST writes (room posts, room creations, membership changes) to the
 * same rate as their STOMP {@code SEND} frames ({@code parley.limits.send-rate} and
 * {@code send-burst}), so the REST API is no way around the chat's own limit. One bucket
 * per user (Bucket4j), shared by all of the user's REST writes; an idle user's bucket is
 * dropped once it would be full again anyway. Backend services ({@code SERVICE} tokens)
 * are not held to it: they are trusted to pace themselves, and post for many users.
 */
@Component
public class WriteThrottle {

	private final LimitsProperties limits;

	private final BucketSource buckets;

	WriteThrottle(LimitsProperties limits, ObjectProvider<SharedBuckets> shared) {
		this.limits = limits;
		Duration refill = Duration.ofSeconds(1 + limits.sendBurst() / Math.max(1, limits.sendRate()));
		this.buckets = new BucketSource("write", refill, shared.getIfAvailable());
	}

	/**
	 * Takes one write from the user's budget, or refuses with 429 and
	 * {@code Retry-After}. The caller leaves out backend services.
	 */
	public void acquire(String user) {
		ConsumptionProbe probe = this.buckets
			.use((buckets) -> buckets.get(user, configuration()).tryConsumeAndReturnRemaining(1));
		if (!probe.isConsumed()) {
			throw ApiProblem.tooManyRequests(
					"Too many writes: at most " + this.limits.sendRate() + " per second per user; this one was refused",
					Duration.ofNanos(probe.getNanosToWaitForRefill()));
		}
	}

	private BucketConfiguration configuration() {
		return BucketConfiguration.builder()
			.addLimit(Bandwidth.builder()
				.capacity(this.limits.sendBurst())
				.refillGreedy(this.limits.sendRate(), Duration.ofSeconds(1))
				.build())
			.build();
	}

}
