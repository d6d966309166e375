package dev.parley.limits;

import java.time.Duration;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

/**
 * The token buckets (Bucket4j) every rate limit here is made of: {@code capacity} at
 * once, refilled with {@code tokens} every {@code period}.
 */
public final class TokenBuckets {

	private TokenBuckets() {
	}

	public static Bucket of(int capacity, int tokens, Duration period) {
		return Bucket.builder()
			.addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(tokens, period).build())
			.build();
	}

}
