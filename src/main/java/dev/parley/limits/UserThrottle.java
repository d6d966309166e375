package dev.parley.limits;

import java.time.Duration;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import org.jspecify.annotations.Nullable;

import dev.parley.api.ApiProblem;

/**
 * One token bucket per user (Bucket4j) for a kind of REST call, refusing with 429 and
 * {@code Retry-After} when it is empty. An idle user's bucket is dropped once it would be
 * full again anyway; in redis mode the buckets are shared by the nodes.
 */
final class UserThrottle {

	private final int rate;

	private final String what;

	private final BucketSource buckets;

	private final BucketConfiguration configuration;

	UserThrottle(String name, String what, int rate, int burst, @Nullable SharedBuckets shared) {
		this.rate = rate;
		this.what = what;
		this.buckets = new BucketSource(name, Duration.ofSeconds(1 + burst / Math.max(1, rate)), shared);
		this.configuration = BucketConfiguration.builder()
			.addLimit(Bandwidth.builder().capacity(burst).refillGreedy(rate, Duration.ofSeconds(1)).build())
			.build();
	}

	void acquire(String user) {
		ConsumptionProbe probe = this.buckets
			.use((buckets) -> buckets.get(user, this.configuration).tryConsumeAndReturnRemaining(1));
		if (!probe.isConsumed()) {
			throw ApiProblem.tooManyRequests(
					"Too many " + this.what + ": at most " + this.rate + " per second per user; this one was refused",
					Duration.ofNanos(probe.getNanosToWaitForRefill()));
		}
	}

}
