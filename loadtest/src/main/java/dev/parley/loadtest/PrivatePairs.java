package dev.parley.loadtest;

import java.util.List;

/**
 * {@code private}: {@code --pairs} pairs of users; each user sends its partner
 * {@code --rate} private messages a second over {@code /app/private}, and reads its own
 * on {@code /user/queue/private}. Needs Parley (the plain application has no users).
 */
final class PrivatePairs {

	private PrivatePairs() {
	}

	static Result run(Run run) throws Exception {
		Options options = run.options;
		if (run.target.kind == Target.Kind.BASELINE) {
			throw new IllegalArgumentException("The private scenario needs users: run it against Parley");
		}
		int clients = options.pairs * 2;
		List<StompClient> users = run.connectAll(clients, "pair-" + run.id + "-", 10_000,
				(index) -> (frame) -> run.receive(index, frame));
		for (StompClient user : users) {
			user.subscribe("private", "/user/queue/private");
			user.subscribe("errors", "/user/queue/errors");
		}
		run.settle(clients);
		run.scheduler.schedule(run.measure::startRecording, options.warmup, java.util.concurrent.TimeUnit.SECONDS);
		long start = System.nanoTime();
		run.pace(clients, options.rate, options.warmup + options.duration, (sender, number, due) -> {
			int partner = sender ^ 1;
			users.get(sender)
				.send("/app/private", "{\"recipient\":\"pair-" + run.id + "-" + partner + "\",\"text\":\""
						+ run.content(sender, number, due) + "\"}", null);
		});
		long expected = run.measure.sent();
		run.drain(expected);
		double seconds = (System.nanoTime() - start) / 1e9;
		Result result = new Result("private", run.target.name);
		result.put("pairs", options.pairs)
			.deliveries(run.measure, expected)
			.put("deliveries/s", run.measure.delivered() / seconds);
		result.latencies(run.measure.latencies());
		result.perSecond = run.measure.perSecond(run.measure.secondsSoFar());
		return result;
	}

}
