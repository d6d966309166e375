package dev.parley.loadtest;

import java.util.LinkedHashMap;
import java.util.Map;

/** The options of a run, as the command line set them. */
final class Options {

	String scenario;

	int threads = 2;

	int perSource = 50_000;

	int parallelConnects = 500;

	int size = 100;

	int duration = 30;

	int warmup = 10;

	int drainSeconds = 10;

	int subscribers = 1000;

	int publishers = 1;

	double rate = 10;

	int rooms = 1000;

	int members = 10;

	double interval = 10;

	int pairs = 500;

	int connections = 10_000;

	int hold = 30;

	int clients = 50;

	int messages = 2000;

	int window = 16;

	boolean keep;

	Map<String, Object> asMap() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("scenario", this.scenario);
		map.put("duration", this.duration);
		map.put("warmup", this.warmup);
		map.put("size", this.size);
		switch (this.scenario) {
			case "fanout" -> {
				map.put("subscribers", this.subscribers);
				map.put("publishers", this.publishers);
				map.put("rate", this.rate);
			}
			case "rooms" -> {
				map.put("rooms", this.rooms);
				map.put("members", this.members);
				map.put("interval", this.interval);
			}
			case "private" -> {
				map.put("pairs", this.pairs);
				map.put("rate", this.rate);
			}
			case "idle" -> {
				map.put("connections", this.connections);
				map.put("hold", this.hold);
			}
			case "storm" -> {
				map.put("rate", this.rate);
				map.put("keep", this.keep);
			}
			case "storage" -> {
				map.put("clients", this.clients);
				map.put("messages", this.messages);
				map.put("window", this.window);
				map.put("rooms", this.rooms);
			}
			default -> {
			}
		}
		return map;
	}

}
