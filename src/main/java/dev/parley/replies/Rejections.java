package dev.parley.replies;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Counts refused frames by reason ({@code parley.frames.rejected}): {@code auth},
 * {@code authorization}, {@code validation}, {@code rate-limit}, {@code size},
 * {@code storage}.
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

	/** The reason an error code on {@code /user/queue/errors} stands for. */
	static String reasonOf(String errorCode) {
		return switch (errorCode) {
			case "unauthorized" -> "auth";
			case "forbidden", "subscription-ended" -> "authorization";
			case "rate-limited", "too-many-subscriptions" -> "rate-limit";
			case "storage-unavailable", "storage-busy", "replay-failed" -> "storage";
			default -> "validation";
		};
	}

}
