package dev.parley.loadtest;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

/**
 * One scenario against one target: the clients' event loop, the scheduler that paces
 * senders, the measurements, and the server probe when the server's pid is known.
 */
final class Run implements AutoCloseable {

	final Target target;

	final Options options;

	final Measure measure = new Measure();

	final EventLoopGroup loop;

	final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "loadtest-pacer");
		thread.setDaemon(true);
		return thread;
	});

	final ServerProbe probe;

	/** A name unique to this run, for rooms and users. */
	final String id = Long.toString(System.currentTimeMillis(), 36);

	private final List<StompClient> clients = new ArrayList<>();

	private int connections;

	private volatile String progress = "";

	private final Thread reporter;

	Run(Target target, Options options) {
		this.target = target;
		this.options = options;
		this.loop = new MultiThreadIoEventLoopGroup(options.threads, NioIoHandler.newFactory());
		this.probe = (target.pid != null) ? new ServerProbe(target.pid) : null;
		this.reporter = new Thread(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				try {
					Thread.sleep(2000);
				}
				catch (InterruptedException ex) {
					return;
				}
				System.err.printf("[%s %s] %ds: sent %,d, delivered %,d, duplicates %d, errors %d %s%n",
						options.scenario, target.name, this.measure.secondsSoFar(), this.measure.sent(),
						this.measure.delivered(), this.measure.duplicates(), this.measure.errors(), this.progress);
			}
		}, "loadtest-progress");
		this.reporter.setDaemon(true);
		this.reporter.start();
	}

	void progress(String text) {
		this.progress = text;
	}

	/** A user's client on the next node, from the next loopback source address. */
	CompletableFuture<StompClient> connect(String user, int heartbeatMillis, Consumer<StompClient.Frame> onFrame) {
		URI url = this.target.nextUrl();
		int index;
		synchronized (this) {
			index = this.connections++;
		}
		return StompClient
			.connect(this.loop, url, Target.source(index, this.options.perSource), this.target.token(user),
					heartbeatMillis, onFrame)
			.thenApply((client) -> {
				synchronized (this.clients) {
					this.clients.add(client);
				}
				return client;
			});
	}

	/**
	 * Connects {@code count} clients, at most {@code parallel} handshakes at once.
	 * @return the clients, in order
	 */
	List<StompClient> connectAll(int count, String userPrefix, int heartbeatMillis,
			java.util.function.IntFunction<Consumer<StompClient.Frame>> handlers) throws InterruptedException {
		Semaphore parallel = new Semaphore(this.options.parallelConnects);
		List<CompletableFuture<StompClient>> pending = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			parallel.acquire();
			CompletableFuture<StompClient> client = connect(userPrefix + i, heartbeatMillis, handlers.apply(i));
			client.whenComplete((ok, failure) -> parallel.release());
			pending.add(client);
			if (i % 1000 == 999) {
				progress("connecting: " + (i + 1) + " of " + count);
			}
		}
		List<StompClient> connected = new ArrayList<>();
		int failed = 0;
		Throwable first = null;
		for (CompletableFuture<StompClient> client : pending) {
			try {
				connected.add(client.get(60, TimeUnit.SECONDS));
			}
			catch (Exception ex) {
				failed++;
				first = (first != null) ? first : ex;
			}
		}
		progress("");
		if (failed > 0) {
			throw new IllegalStateException(failed + " of " + count + " clients could not connect; the first: "
					+ ((first.getCause() != null) ? first.getCause() : first));
		}
		return connected;
	}

	/** The chat message's content: who sent it, its number, when it was due, padding. */
	String content(int sender, int number, long scheduledNanos) {
		StringBuilder content = new StringBuilder(this.options.size).append("lt|")
			.append(sender)
			.append('|')
			.append(number)
			.append('|')
			.append(scheduledNanos)
			.append('|');
		while (content.length() < this.options.size) {
			content.append('x');
		}
		return content.toString();
	}

	/**
	 * Reads back a message made by {@link #content} out of a frame's JSON body: sender,
	 * number and due time; null for any other message (a JOIN, a user list).
	 */
	static long[] parse(String body) {
		int at = body.indexOf("lt|");
		if (at < 0) {
			return null;
		}
		int a = body.indexOf('|', at + 3);
		int b = body.indexOf('|', a + 1);
		int c = body.indexOf('|', b + 1);
		return new long[] { Long.parseLong(body, at + 3, a, 10), Long.parseLong(body, a + 1, b, 10),
				Long.parseLong(body, b + 1, c, 10) };
	}

	/**
	 * What a reading client does with a frame: a message made by {@link #content} is
	 * checked and timed; an error, as an {@code ERROR} frame or on
	 * {@code /user/queue/errors}, is counted.
	 */
	void receive(int receiver, StompClient.Frame frame) {
		if ("MESSAGE".equals(frame.command())) {
			long[] message = parse(frame.body());
			if (message != null) {
				this.measure.delivered(receiver, (int) message[0], (int) message[1], message[2]);
			}
			else if (frame.body().contains("\"error\"")) {
				this.measure.error(frame);
			}
		}
		else if ("ERROR".equals(frame.command())) {
			this.measure.error(frame);
		}
	}

	/** Paces {@code senders} at {@code perSecond} each for {@code seconds}. */
	void pace(int senders, double perSecond, int seconds, Sender send) throws InterruptedException {
		long start = System.nanoTime();
		long interval = (long) (1_000_000_000L / perSecond);
		long end = start + seconds * 1_000_000_000L;
		int[] next = new int[senders];
		CompletableFuture<Void> done = new CompletableFuture<>();
		var task = this.scheduler.scheduleAtFixedRate(() -> {
			long now = System.nanoTime();
			for (int s = 0; s < senders; s++) {
				// Spread the senders over the interval.
				long offset = interval * s / senders;
				while (true) {
					long due = start + offset + next[s] * interval;
					if (due > now || due >= end) {
						break;
					}
					send.send(s, next[s], due);
					this.measure.countSent();
					next[s]++;
				}
			}
			if (now >= end) {
				done.complete(null);
			}
		}, 0, 1, TimeUnit.MILLISECONDS);
		try {
			done.get(seconds + 60L, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Pacing did not finish", ex);
		}
		finally {
			task.cancel(false);
		}
	}

	interface Sender {

		void send(int sender, int number, long dueNanos);

	}

	/** Waits until {@code expected} deliveries arrived, or the drain time passed. */
	void drain(long expected) throws InterruptedException {
		long deadline = System.nanoTime() + this.options.drainSeconds * 1_000_000_000L;
		while (this.measure.delivered() < expected && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
	}

	/**
	 * Gives subscriptions and joins sent to {@code clients} time to take effect: 1 s,
	 * and 1 s more per 10,000 clients.
	 */
	void settle(int clients) throws InterruptedException {
		Thread.sleep(1000 + clients / 10);
	}

	long cpu() {
		return (this.probe != null) ? this.probe.cpuNanos() : -1;
	}

	@Override
	public void close() {
		this.reporter.interrupt();
		synchronized (this.clients) {
			this.clients.forEach(StompClient::close);
		}
		this.scheduler.shutdownNow();
		this.loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
	}

}
