package dev.parley.loadtest;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code fanout}: one room, {@code --subscribers} clients reading it, {@code --publishers}
 * clients sending {@code --rate} messages a second between them. Each delivery is timed
 * from its message's due time; the server's CPU time is divided by the deliveries made
 * after the warm-up.
 */
final class Fanout {

	private Fanout() {
	}

	static Result run(Run run) throws Exception {
		Options options = run.options;
		String room = "fanout-" + run.id;
		String topic = "/topic/chat/" + room;
		List<StompClient> readers = run.connectAll(options.subscribers, "reader-" + run.id + "-", 10_000,
				(index) -> (frame) -> run.receive(index, frame));
		for (StompClient reader : readers) {
			reader.subscribe("room", topic);
		}
		List<StompClient> writers = run.connectAll(options.publishers, "writer-" + run.id + "-", 10_000,
				(index) -> (frame) -> {
					if ("ERROR".equals(frame.command()) || frame.text().contains("\"error\"")) {
						run.measure.error(frame);
					}
				});
		for (StompClient writer : writers) {
			writer.send("/app/chat.join", "{\"room\":\"" + room + "\"}", null);
		}
		// Receipts are Parley's, not the plain application's: the subscriptions and joins
		// are given time instead.
		run.settle(options.subscribers + options.publishers);
		double perPublisher = options.rate / options.publishers;
		CompletableFuture<long[]> window = new CompletableFuture<>();
		// CPU and deliveries are counted from the end of the warm-up.
		run.scheduler.schedule(() -> {
			run.measure.startRecording();
			window.complete(new long[] { run.cpu(), run.measure.delivered(), System.nanoTime() });
		}, options.warmup, TimeUnit.SECONDS);
		run.pace(writers.size(), perPublisher, options.warmup + options.duration, (sender, number, due) -> writers
			.get(sender)
			.send("/app/chat.send", "{\"room\":\"" + room + "\",\"content\":\"" + run.content(sender, number, due)
					+ "\"}", null));
		long expected = run.measure.sent() * options.subscribers;
		run.drain(expected);
		long[] from = window.get();
		long cpu = run.cpu();
		long deliveries = run.measure.delivered() - from[1];
		double seconds = (System.nanoTime() - from[2]) / 1e9;
		Result result = new Result("fanout", run.target.name);
		result.put("subscribers", options.subscribers)
			.put("messages/s", options.rate)
			.deliveries(run.measure, expected)
			.put("deliveries/s (measured)", deliveries / seconds);
		if (from[0] >= 0) {
			result.put("server CPU µs per delivery", (cpu - from[0]) / 1000.0 / Math.max(1, deliveries));
			result.put("server CPU % of a core", (cpu - from[0]) / 1e9 / seconds * 100);
		}
		result.latencies(run.measure.latencies());
		result.perSecond = run.measure.perSecond(run.measure.secondsSoFar());
		return result;
	}

	static Map<String, Boolean> lowerIsBetter() {
		return Map.of("server CPU µs per delivery", true, "latency p99 ms", true, "latency p50 ms", true);
	}

}
