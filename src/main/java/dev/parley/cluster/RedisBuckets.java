package dev.parley.cluster;

import java.time.Duration;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.api.StatefulRedisConnection;

import dev.parley.limits.SharedBuckets;

/**
 * The throttles' token buckets in Redis (Bucket4j's Lettuce back-end, compare-and-swap),
 * so a limit per user or per address holds over every node. A bucket's key goes once it
 * would be full again.
 */
final class RedisBuckets implements SharedBuckets {

	private final ProxyManager<String> buckets;

	private final String prefix;

	RedisBuckets(StatefulRedisConnection<String, byte[]> connection, String prefix) {
		this.buckets = Bucket4jLettuce.casBasedBuilder(connection)
			.expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ZERO))
			.build();
		this.prefix = prefix;
	}

	@Override
	public Bucket bucket(String name, BucketConfiguration configuration) {
		return this.buckets.builder().build(this.prefix + "bucket:" + name, configuration);
	}

}
