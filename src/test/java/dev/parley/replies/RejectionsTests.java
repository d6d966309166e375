package dev.parley.replies;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RejectionsTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final Rejections rejections = new Rejections(this.registry);

	@Test
	void eachErrorCodeCountsUnderItsReason() {
		for (String code : new String[] { "unauthorized", "forbidden", "subscription-ended", "rate-limited",
				"too-many-subscriptions", "storage-unavailable", "storage-busy", "replay-failed", "bad-request",
				"not-joined", "internal" }) {
			this.rejections.count(Rejections.reasonOf(code));
		}
		assertThat(Rejections.reasonOf("replay-truncated")).as("a notice, not a refusal").isNull();
		assertThat(count("auth")).isEqualTo(1);
		assertThat(count("authorization")).isEqualTo(2);
		assertThat(count("rate-limit")).isEqualTo(2);
		assertThat(count("storage")).as("a replay the database could not serve is a storage failure").isEqualTo(3);
		assertThat(count("validation")).isEqualTo(2);
		assertThat(count("internal")).isEqualTo(1);
	}

	private double count(String reason) {
		return this.registry.get("parley.frames.rejected").tag("reason", reason).counter().count();
	}

}
