package dev.parley.loadtest;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Parley's load tool: drives a Parley deployment (one node or several) over STOMP on
 * WebSocket, from a few threads, and reports latency from each message's due time, loss
 * and duplicates counted exactly, and the server's CPU per delivery and heap per
 * connection when it runs on this machine. With {@code --baseline-url} it runs the same
 * scenario against the plain Spring STOMP application ({@code loadtest/baseline}) first
 * and prints the ratios. Targets 127.0.0.0/8 only; every run stops by itself.
 */
@Command(name = "parley-loadtest", mixinStandardHelpOptions = true, sortOptions = false,
		description = "Load scenarios against Parley (and the plain Spring baseline): fanout, rooms, private, idle, "
				+ "storm, storage.")
public final class LoadTest implements Callable<Integer> {

	@Parameters(index = "0", description = "fanout | rooms | private | idle | storm | storage")
	String scenario;

	@Option(names = "--url", description = "a Parley node's WebSocket URL (repeat for several nodes; clients are "
			+ "spread over them)", defaultValue = "ws://127.0.0.1:8080/ws")
	List<URI> urls;

	@Option(names = "--secret", description = "the HS256 signing secret, to mint the users' tokens")
	String secret;

	@Option(names = "--secret-file", description = "a file holding it (default: ./data/jwt-secret, Parley's own)",
			defaultValue = "./data/jwt-secret")
	Path secretFile;

	@Option(names = "--password", description = "without a secret: register and log every user in with this password")
	String password;

	@Option(names = "--pid", description = "the Parley server's process id, for its CPU time and heap")
	Long pid;

	@Option(names = "--baseline-url", description = "compare mode: the plain Spring application's WebSocket URL")
	URI baselineUrl;

	@Option(names = "--baseline-pid", description = "its process id")
	Long baselinePid;

	@Option(names = "--duration", description = "seconds measured (after the warm-up)", defaultValue = "30")
	int duration;

	@Option(names = "--warmup", description = "seconds of load before measuring", defaultValue = "10")
	int warmup;

	@Option(names = "--size", description = "message content size in bytes", defaultValue = "100")
	int size;

	@Option(names = "--subscribers", description = "fanout: readers of the room", defaultValue = "1000")
	int subscribers;

	@Option(names = "--publishers", description = "fanout: senders", defaultValue = "1")
	int publishers;

	@Option(names = "--rate", description = "fanout: messages/s in all; private: messages/s per user; "
			+ "storm: connections/s", defaultValue = "10")
	double rate;

	@Option(names = "--rooms", description = "rooms: how many rooms; storage: rooms written to")
	Integer rooms;

	@Option(names = "--members", description = "rooms: clients per room", defaultValue = "10")
	int members;

	@Option(names = "--interval", description = "rooms: seconds between one client's messages", defaultValue = "10")
	double interval;

	@Option(names = "--pairs", description = "private: pairs of users", defaultValue = "500")
	int pairs;

	@Option(names = "--connections", description = "idle: connections to hold", defaultValue = "10000")
	int connections;

	@Option(names = "--hold", description = "idle: seconds to hold them", defaultValue = "30")
	int hold;

	@Option(names = "--keep", description = "storm: keep the connections open")
	boolean keep;

	@Option(names = "--clients", description = "storage: clients", defaultValue = "50")
	int clients;

	@Option(names = "--messages", description = "storage: messages per client", defaultValue = "2000")
	int messages;

	@Option(names = "--window", description = "storage: messages in flight per client", defaultValue = "16")
	int window;

	@Option(names = "--threads", description = "the tool's I/O threads", defaultValue = "2")
	int threads;

	@Option(names = "--per-source", description = "connections per loopback source address (127.0.0.2 and up)",
			defaultValue = "50000")
	int perSource;

	@Option(names = "--report", description = "directory for the JSON and HTML reports",
			defaultValue = "target/loadtest")
	Path reportDirectory;

	public static void main(String[] args) {
		System.setProperty("java.awt.headless", "true");
		System.exit(new CommandLine(new LoadTest()).execute(args));
	}

	@Override
	public Integer call() throws Exception {
		Options options = options();
		String secretValue = Target.readSecret(this.secret, this.secretFile);
		List<Target> targets = new ArrayList<>();
		if (this.baselineUrl != null) {
			targets.add(new Target("baseline", Target.Kind.BASELINE, List.of(this.baselineUrl), this.baselinePid,
					null, null));
		}
		targets.add(new Target("parley", Target.Kind.PARLEY, this.urls, this.pid, secretValue, this.password));
		List<Result> results = new ArrayList<>();
		for (Target target : targets) {
			try (Run run = new Run(target, options)) {
				results.add(switch (this.scenario) {
					case "fanout" -> Fanout.run(run);
					case "rooms" -> Rooms.run(run);
					case "private" -> PrivatePairs.run(run);
					case "idle" -> Idle.run(run);
					case "storm" -> Storm.run(run);
					case "storage" -> Storage.run(run);
					default -> throw new CommandLine.ParameterException(new CommandLine(this),
							"No scenario " + this.scenario);
				});
			}
		}
		Map<String, Double> ratios = new LinkedHashMap<>();
		if (results.size() == 2) {
			Result baseline = results.get(0);
			Result parley = results.get(1);
			for (String name : parley.figures.keySet()) {
				double b = baseline.number(name);
				double p = parley.number(name);
				if (!Double.isNaN(b) && !Double.isNaN(p) && b != 0 && !name.equals("messages/s") && (name.contains("per ")
						|| name.startsWith("latency") || name.endsWith("/s") || name.contains("heap"))) {
					ratios.put(name, p / b);
				}
			}
		}
		Report.print(results, ratios);
		Report.write(this.reportDirectory, this.scenario + "-" + System.currentTimeMillis(), results, ratios,
				options.asMap());
		boolean clean = results.stream()
			.allMatch((result) -> result.number("errors") == 0 || Double.isNaN(result.number("errors")));
		return clean ? 0 : 1;
	}

	private Options options() {
		Options options = new Options();
		options.scenario = this.scenario;
		options.duration = this.duration;
		options.warmup = this.warmup;
		options.size = Math.max(40, this.size);
		options.subscribers = this.subscribers;
		options.publishers = this.publishers;
		options.rate = this.rate;
		options.rooms = (this.rooms != null) ? this.rooms : ("storage".equals(this.scenario) ? 5 : 1000);
		options.members = this.members;
		options.interval = this.interval;
		options.pairs = this.pairs;
		options.connections = this.connections;
		options.hold = this.hold;
		options.keep = this.keep;
		options.clients = this.clients;
		options.messages = this.messages;
		options.window = this.window;
		options.threads = this.threads;
		options.perSource = this.perSource;
		return options;
	}

}
