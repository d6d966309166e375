package dev.parley.loadtest;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code storage}: {@code --clients} clients each send {@code --messages} room messages
 * with receipts, keeping {@code --window} in flight, over {@code --rooms} rooms; a
 * receipt comes only after the commit, so receipts per second are stored messages per
 * second. Closed-loop by nature (a client sends when a receipt frees its window): the
 * latency is from send to receipt. Needs Parley (receipts after commit).
 */
final class Storage {

	private Storage() {
	}

	static Result run(Run run) throws Exception {
		Options options = run.options;
		if (run.target.kind == Target.Kind.BASELINE) {
			throw new IllegalArgumentException("The storage scenario needs Parley's stored messages");
		}
		CountDownLatch finished = new CountDownLatch(options.clients);
		ConcurrentHashMap<String, Long> sentAt = new ConcurrentHashMap<>();
		AtomicInteger[] next = new AtomicInteger[options.clients];
		StompClient[] clients = new StompClient[options.clients];
		List<StompClient> connected = run.connectAll(options.clients, "store-" + run.id + "-", 10_000,
				(index) -> (frame) -> {
					if ("RECEIPT".equals(frame.command())) {
						String id = frame.header("receipt-id");
						Long at = (id != null) ? sentAt.remove(id) : null;
						if (at != null) {
							run.measure.timed(at);
							sendNext(run, clients, next, index, sentAt, finished);
						}
					}
					else if ("ERROR".equals(frame.command()) || frame.body().contains("\"error\"")) {
						run.measure.error(frame);
					}
				});
		for (int i = 0; i < options.clients; i++) {
			clients[i] = connected.get(i);
			next[i] = new AtomicInteger();
			clients[i].subscribe("errors", "/user/queue/errors");
			clients[i].send("/app/chat.join", "{\"room\":\"" + room(run, i) + "\"}", null);
		}
		run.settle(options.clients);
		run.measure.startRecording();
		long start = System.nanoTime();
		for (int i = 0; i < options.clients; i++) {
			for (int w = 0; w < options.window; w++) {
				sendNext(run, clients, next, i, sentAt, finished);
			}
		}
		boolean done = finished.await(options.duration + 120L, TimeUnit.SECONDS);
		double seconds = (System.nanoTime() - start) / 1e9;
		Result result = new Result("storage", run.target.name);
		result.put("clients", options.clients)
			.put("stored with receipt", run.measure.delivered())
			.put("stored messages/s", run.measure.delivered() / seconds)
			.put("errors", run.measure.errors())
			.put("first errors", run.measure.firstErrors())
			.put("finished", done);
		result.latencies(run.measure.latencies());
		result.perSecond = run.measure.perSecond(run.measure.secondsSoFar());
		return result;
	}

	private static void sendNext(Run run, StompClient[] clients, AtomicInteger[] next, int index,
			ConcurrentHashMap<String, Long> sentAt, CountDownLatch finished) {
		int number = next[index].getAndIncrement();
		if (number >= run.options.messages) {
			if (number == run.options.messages + run.options.window - 1) {
				finished.countDown();
			}
			return;
		}
		String receipt = index + "-" + number;
		sentAt.put(receipt, System.nanoTime());
		run.measure.countSent();
		clients[index].send("/app/chat.send",
				"{\"room\":\"" + room(run, index) + "\",\"content\":\"" + run.content(index, number, 0) + "\"}",
				receipt);
	}

	private static String room(Run run, int client) {
		return "store-" + run.id + "-" + (client % run.options.rooms);
	}

}
