package dev.parley.limits;

import java.util.concurrent.atomic.AtomicInteger;

import io.github.bucket4j.Bucket;

/**
 * One session's rate limit: a token bucket, the frames it refused in a row, and whether
 * the session was told to go. A frame is let through, refused (the client is told), or,
 * after {@code violations} refusals in a row, the session is closed, once; after that,
 * everything is dropped without another word.
 */
final class SessionRate {

	/** What becomes of one frame. */
	enum Verdict {

		PASS, REFUSE, CLOSE, DROP

	}

	private final Bucket bucket;

	private final int violations;

	private final AtomicInteger inARow = new AtomicInteger();

	private volatile boolean closing;

	SessionRate(Bucket bucket, int violations) {
		this.bucket = bucket;
		this.violations = violations;
	}

	Verdict take() {
		if (this.closing) {
			return Verdict.DROP;
		}
		if (this.bucket.tryConsume(1)) {
			this.inARow.set(0);
			return Verdict.PASS;
		}
		int refused = this.inARow.incrementAndGet();
		if (refused < this.violations) {
			return Verdict.REFUSE;
		}
		if (refused == this.violations) {
			this.closing = true;
			return Verdict.CLOSE;
		}
		return Verdict.DROP;
	}

}
