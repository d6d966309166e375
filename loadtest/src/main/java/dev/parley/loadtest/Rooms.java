package dev.parley.loadtest;

import java.util.List;

/**
 * {@code rooms}: {@code --rooms} rooms of {@code --members} clients; every client reads
 * its room and sends one stored message to it every {@code --interval} seconds (the
 * clients spread over the interval). Every member's delivery is timed and checked.
 */
final class Rooms {

	private Rooms() {
	}

	static Result run(Run run) throws Exception {
		Options options = run.options;
		int clients = options.rooms * options.members;
		long connectStart = System.nanoTime();
		List<StompClient> members = run.connectAll(clients, "member-" + run.id + "-", 10_000,
				(index) -> (frame) -> run.receive(index, frame));
		double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
		java.util.concurrent.CountDownLatch joined = new java.util.concurrent.CountDownLatch(clients);
		for (int i = 0; i < clients; i++) {
			String room = room(run, i, options);
			StompClient member = members.get(i);
			member.subscribe("room", "/topic/chat/" + room);
			member.subscribe("errors", "/user/queue/errors");
			if (run.target.kind == Target.Kind.PARLEY) {
				// Parley answers the join's receipt once it is done: sending before that
				// would be refused (join first).
				int index = i;
				member.onFrame((frame) -> {
					if ("RECEIPT".equals(frame.command())) {
						joined.countDown();
					}
					else {
						run.receive(index, frame);
					}
				});
				member.send("/app/chat.join", "{\"room\":\"" + room + "\"}", "joined");
			}
			else {
				member.send("/app/chat.join", "{\"room\":\"" + room + "\"}", null);
				joined.countDown();
			}
		}
		if (!joined.await(300, java.util.concurrent.TimeUnit.SECONDS)) {
			throw new IllegalStateException(joined.getCount() + " of " + clients + " joins unanswered after 300 s");
		}
		run.settle(clients);
		run.scheduler.schedule(run.measure::startRecording, options.warmup, java.util.concurrent.TimeUnit.SECONDS);
		long cpuBefore = run.cpu();
		long start = System.nanoTime();
		run.pace(clients, 1 / options.interval, options.warmup + options.duration,
				(sender, number, due) -> members.get(sender)
					.send("/app/chat.send", "{\"room\":\"" + room(run, sender, options) + "\",\"content\":\""
							+ run.content(sender, number, due) + "\"}", null));
		long expected = run.measure.sent() * options.members;
		run.drain(expected);
		double seconds = (System.nanoTime() - start) / 1e9;
		Result result = new Result("rooms", run.target.name);
		result.put("clients", clients)
			.put("rooms", options.rooms)
			.put("connected and joined in s", connectSeconds)
			.deliveries(run.measure, expected)
			.put("deliveries/s", run.measure.delivered() / seconds);
		if (cpuBefore >= 0) {
			result.put("server CPU µs per delivery",
					(run.cpu() - cpuBefore) / 1000.0 / Math.max(1, run.measure.delivered()));
		}
		result.latencies(run.measure.latencies());
		result.perSecond = run.measure.perSecond(run.measure.secondsSoFar());
		return result;
	}

	private static String room(Run run, int client, Options options) {
		return "r" + run.id + "-" + (client % options.rooms);
	}

}
