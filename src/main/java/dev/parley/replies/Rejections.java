package dev.parley.replies;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * Counts refused frames by reason ({@code parley.frames.rejected}): {@code auth},
 * {@code authorization}, {@code validation}, {@code rate-limit}, {@code size},
 * {@code storage}, {@code internal}.
 */
@Component
public class Rejections {

	private final MeterRegistry registry;

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	Rejections(MeterRegistry registry) {
		this.registry = registry;
	}

	public void count(String reason) {
		this.counters
			.computeIfAbsent(reason,
					(key) -> Counter.builder("parley.frames.rejected")
						.description("Frames refused, by reason")
						.tag("reason", key)
						.register(this.registry))
			.increment();
	}

	/** Counts the refusal an error code on {@code /user/queue/errors} stands for. */
	public void countError(String errorCode) {
		String reason = reasonOf(errorCode);
		if (reason != null) {
			count(reason);
		}
	}

	/**
	 * The reason an error code on {@code /user/queue/errors} stands for; null for a
	 * notice that refuses nothing ({@code replay-truncated}: the rest is to be fetched
	 * over REST).
	 */
	static @Nullable String reasonOf(String errorCode) {
		return switch (errorCode) {
			case "replay-truncated" -> null;
			case "internal" -> "internal";
			case "unauthorized" -> "auth";
			case "forbidden", "subscription-ended" -> "authorization";
			case "rate-limited", "too-many-subscriptions" -> "rate-limit";
			case "storage-unavailable", "storage-busy", "replay-failed" -> "storage";
			default -> "validation";
		};
	}

}
