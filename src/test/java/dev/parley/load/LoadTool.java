package dev.parley.load;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The fault and recovery probes that need Parley's test support (the scripts under
 * {@code scripts/} run them from the test classpath); the load scenarios themselves are
 * in the load tool, {@code loadtest/}. Bounded in count and time; targets 127.0.0.0/8
 * only. Arguments: {@code --url ws://127.0.0.1:8080/ws --secret-file ./data/jwt-secret}
 * and a scenario. {@code --scenario resubscribe} runs the reconnect storm instead
 * ({@link Resubscribe}), {@code --scenario outage} the outage probe ({@link Outage}),
 * {@code --scenario slow-consumers} readers beside clients that stop reading
 * ({@link SlowConsumers}), {@code --scenario cross-node} latency on the publisher's node
 * and on another node in redis mode ({@link CrossNode}, with {@code --url2}).
 */
public final class LoadTool {

	private LoadTool() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = options(args);
		URI url = URI.create(options.getOrDefault("url", "ws://127.0.0.1:8080/ws"));
		if (!url.getHost().startsWith("127.") && !url.getHost().equals("localhost")) {
			throw new IllegalArgumentException("The load tool only targets loopback addresses, not " + url.getHost());
		}
		String secret = (System.getenv("PARLEY_SECURITY_JWT_SECRET") != null)
				? System.getenv("PARLEY_SECURITY_JWT_SECRET")
				: Files.readString(Path.of(options.getOrDefault("secret-file", "./data/jwt-secret"))).trim();
		int clients = Integer.parseInt(options.getOrDefault("clients", "50"));
		int rooms = Integer.parseInt(options.getOrDefault("rooms", "5"));
		long timeout = Long.parseLong(options.getOrDefault("timeout", "120"));
		if ("resubscribe".equals(options.get("scenario"))) {
			Resubscribe.run(url, secret, clients, rooms, timeout);
			return;
		}
		if ("slow-consumers".equals(options.get("scenario"))) {
			SlowConsumers.run(url, secret, Integer.parseInt(options.getOrDefault("readers", "50")),
					Integer.parseInt(options.getOrDefault("rate", "200")),
					Integer.parseInt(options.getOrDefault("seconds", "20")),
					Integer.parseInt(options.getOrDefault("size", "2000")));
			return;
		}
		if ("cross-node".equals(options.get("scenario"))) {
			URI other = URI.create(options.getOrDefault("url2", "ws://127.0.0.1:18082/ws"));
			if (!other.getHost().startsWith("127.")) {
				throw new IllegalArgumentException("The load tool only targets loopback addresses");
			}
			CrossNode.run(url, other, secret, Integer.parseInt(options.getOrDefault("readers", "100")),
					Integer.parseInt(options.getOrDefault("rate", "200")),
					Integer.parseInt(options.getOrDefault("seconds", "20")));
			return;
		}
		if ("outage".equals(options.get("scenario"))) {
			Outage.run(url, secret, Integer.parseInt(options.getOrDefault("seconds", "30")),
					Integer.parseInt(options.getOrDefault("interval-ms", "100")));
			return;
		}
		throw new IllegalArgumentException("Give a --scenario: resubscribe, outage, slow-consumers or cross-node. "
				+ "The other scenarios (storage, fanout, rooms, private, idle, storm) are in loadtest/");
	}

	private static Map<String, String> options(String[] args) {
		Map<String, String> options = new HashMap<>();
		for (int i = 0; i + 1 < args.length; i += 2) {
			options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
		}
		return options;
	}

}
