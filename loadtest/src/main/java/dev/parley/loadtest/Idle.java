package dev.parley.loadtest;

import java.util.List;

/**
 * {@code idle}: {@code --connections} authenticated connections, each subscribed to one
 * room (ten to a room), held for {@code --hold} seconds with heart-beats. With the
 * server's pid: its live heap after a full collection before and with the connections,
 * per connection.
 */
final class Idle {

	private Idle() {
	}

	static Result run(Run run) throws Exception {
		Options options = run.options;
		long heapBefore = (run.probe != null) ? run.probe.heapAfterFullGc() : -1;
		long start = System.nanoTime();
		List<StompClient> clients = run.connectAll(options.connections, "idle-" + run.id + "-", 10_000,
				(index) -> (frame) -> {
					if ("ERROR".equals(frame.command())) {
						run.measure.error(frame);
					}
				});
		double connectSeconds = (System.nanoTime() - start) / 1e9;
		for (int i = 0; i < clients.size(); i++) {
			clients.get(i).subscribe("room", "/topic/chat/idle-" + run.id + "-" + (i / 10));
		}
		run.settle(clients.size());
		long heapWith = (run.probe != null) ? run.probe.heapAfterFullGc() : -1;
		long holdUntil = System.nanoTime() + options.hold * 1_000_000_000L;
		while (System.nanoTime() < holdUntil) {
			long open = clients.stream().filter(StompClient::isOpen).count();
			run.progress("holding: " + open + " open");
			Thread.sleep(1000);
		}
		long open = clients.stream().filter(StompClient::isOpen).count();
		Result result = new Result("idle", run.target.name);
		result.put("connections", options.connections)
			.put("connected in s", connectSeconds)
			.put("open after the hold", open)
			.put("errors", run.measure.errors())
			.put("first errors", run.measure.firstErrors());
		if (heapBefore >= 0) {
			result.put("server heap before MB", heapBefore / 1048576.0)
				.put("server heap with connections MB", heapWith / 1048576.0)
				.put("heap per connection KB", (heapWith - heapBefore) / 1024.0 / options.connections);
		}
		return result;
	}

}
