package dev.parley.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;

/**
 * Token buckets kept where every node sees them, so that a limit per user or per address
 * holds however a load balancer spreads the attempts. Absent on one node, where each
 * throttle keeps its buckets in memory; the cluster module provides one on Redis
 * (Bucket4j's Lettuce back-end). Its buckets throw while the store is away: the throttles
 * then fall back to their own buckets.
 */
public interface SharedBuckets {

	/** The bucket kept under this name, made with this configuration the first time. */
	Bucket bucket(String name, BucketConfiguration configuration);

}
