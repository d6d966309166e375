package dev.parley.limits;

import java.time.Duration;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.local.LocalBucketBuilder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Where one throttle's buckets live: in {@link SharedBuckets} when the cluster has them,
 * else in memory, in a bounded cache where an idle bucket goes once it would be full
 * again anyway (so a flood of made-up keys cannot exhaust memory). A throttle asks
 * {@link #use(Function)}: while the shared store is away, the same question is answered
 * by the buckets in memory.
 */
public final class BucketSource {

	private static final Log logger = LogFactory.getLog(BucketSource.class);

	private final String kind;

	private final Cache<String, Bucket> local;

	private final @Nullable SharedBuckets shared;

	/**
	 * @param kind a name for this throttle's keys in the shared store
	 * @param idle how long an unused bucket takes to be full again
	 */
	public BucketSource(String kind, Duration idle, @Nullable SharedBuckets shared) {
		this.kind = kind;
		this.local = Caffeine.newBuilder().expireAfterAccess(idle).maximumSize(1_000_000).build();
		this.shared = shared;
	}

	/**
	 * Answers with the shared buckets, or with the ones in memory while those are away.
	 */
	public <T> T use(Function<Buckets, T> question) {
		SharedBuckets shared = this.shared;
		if (shared != null) {
			try {
				return question.apply((key, configuration) -> shared.bucket(this.kind + ":" + key, configuration));
			}
			catch (RuntimeException ex) {
				logger.debug("Shared buckets away, " + this.kind + " held on this node alone: " + ex.getMessage());
			}
		}
		return question.apply((key, configuration) -> this.local.get(key, (name) -> build(configuration)));
	}

	private static Bucket build(BucketConfiguration configuration) {
		LocalBucketBuilder builder = Bucket.builder();
		for (Bandwidth bandwidth : configuration.getBandwidths()) {
			builder.addLimit(bandwidth);
		}
		return builder.build();
	}

	/** The buckets of one answer. */
	@FunctionalInterface
	public interface Buckets {

		Bucket get(String key, BucketConfiguration configuration);

	}

}
