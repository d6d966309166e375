package dev.parley.loadtest;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code storm}: new authenticated connections at {@code --rate} a second for
 * {@code --duration} seconds, each timed from its due time to its {@code CONNECTED};
 * closed once connected unless {@code --keep}. Refusals are counted.
 */
final class Storm {

	private Storm() {
	}

	static Result run(Run run) throws Exception {
		Options options = run.options;
		AtomicLong refused = new AtomicLong();
		ConcurrentLinkedQueue<String> reasons = new ConcurrentLinkedQueue<>();
		// Tokens first: minting is the tool's work, not the server's.
		int total = (int) Math.ceil(options.rate * options.duration);
		String[] users = new String[total];
		for (int i = 0; i < total; i++) {
			users[i] = "storm-" + run.id + "-" + i;
		}
		run.measure.startRecording();
		long cpuBefore = run.cpu();
		long start = System.nanoTime();
		// Attempts in flight are bounded (the tool's own file descriptors): past the bound
		// an attempt starts late, and its latency, counted from its due time, shows it.
		java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(options.parallelConnects);
		run.pace(1, options.rate, options.duration, (sender, number, due) -> {
			if (number >= total) {
				return;
			}
			inFlight.acquireUninterruptibly();
			run.connect(users[number], 0, (frame) -> {
			}).whenComplete((client, failure) -> {
				inFlight.release();
				if (failure != null) {
					refused.incrementAndGet();
					if (reasons.size() < 5) {
						reasons.add(String.valueOf(failure.getMessage()));
					}
					return;
				}
				run.measure.timed(due);
				if (!options.keep) {
					client.close();
				}
			});
		});
		long deadline = System.nanoTime() + options.drainSeconds * 1_000_000_000L;
		while (run.measure.delivered() + refused.get() < run.measure.sent() && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		Result result = new Result("storm", run.target.name);
		result.put("attempted", run.measure.sent())
			.put("connected", run.measure.delivered())
			.put("refused or failed", refused.get())
			.put("connections/s", run.measure.delivered() / seconds);
		if (cpuBefore >= 0) {
			result.put("server CPU ms per connection",
					(run.cpu() - cpuBefore) / 1e6 / Math.max(1, run.measure.delivered()));
		}
		if (!reasons.isEmpty()) {
			result.put("first failures", String.join("; ", reasons));
		}
		result.latencies(run.measure.latencies());
		result.perSecond = run.measure.perSecond(run.measure.secondsSoFar());
		return result;
	}

}
