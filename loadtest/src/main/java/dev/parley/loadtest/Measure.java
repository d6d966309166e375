package dev.parley.loadtest;

import java.util.BitSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What one run measures on the client side: latency from each message's scheduled send
 * time to its arrival (so a stalled server cannot hide behind a paused sender: no
 * coordinated omission), deliveries per second, and every delivery checked against what
 * was sent, so that losses and duplicates are counted exactly.
 */
final class Measure {

	private static final int MAX_SECONDS = 3600;

	private final Recorder latencies = new Recorder(3_600_000_000L, 3);

	private final Histogram total = new Histogram(3_600_000_000L, 3);

	private final AtomicLongArray perSecond = new AtomicLongArray(MAX_SECONDS);

	private final AtomicLong delivered = new AtomicLong();

	private final AtomicLong duplicates = new AtomicLong();

	private final AtomicLong sent = new AtomicLong();

	private final AtomicLong errors = new AtomicLong();

	/** Per receiver and sender: the message numbers seen. */
	private final ConcurrentHashMap<Long, BitSet> seen = new ConcurrentHashMap<>();

	private final long start = System.nanoTime();

	private volatile boolean recording;

	/** Deliveries before this are the warm-up: checked, not timed. */
	void startRecording() {
		this.latencies.reset();
		this.recording = true;
	}

	boolean isRecording() {
		return this.recording;
	}

	void countSent() {
		this.sent.incrementAndGet();
	}

	void error() {
		this.errors.incrementAndGet();
	}

	private final java.util.concurrent.ConcurrentLinkedQueue<String> firstErrors = new java.util.concurrent.ConcurrentLinkedQueue<>();

	/** An error the server reported, kept (the first few) for the report. */
	void error(StompClient.Frame frame) {
		error();
		if (this.firstErrors.size() < 3) {
			String message = frame.header("message");
			this.firstErrors.add((message != null) ? message : frame.body().trim());
		}
	}

	String firstErrors() {
		return String.join(" | ", this.firstErrors);
	}

	/**
	 * A message arrived at {@code receiver}: number {@code number} of {@code sender},
	 * scheduled at {@code scheduledNanos}.
	 */
	void delivered(int receiver, int sender, int number, long scheduledNanos) {
		long now = System.nanoTime();
		BitSet numbers = this.seen.computeIfAbsent(((long) receiver << 32) | sender, (key) -> new BitSet());
		boolean duplicate;
		synchronized (numbers) {
			duplicate = numbers.get(number);
			numbers.set(number);
		}
		if (duplicate) {
			this.duplicates.incrementAndGet();
			return;
		}
		count(now, scheduledNanos);
	}

	/** A timed event without a sender's numbering (a receipt, a connection). */
	void timed(long scheduledNanos) {
		long now = System.nanoTime();
		count(now, scheduledNanos);
	}

	private void count(long now, long scheduledNanos) {
		this.delivered.incrementAndGet();
		int second = (int) ((now - this.start) / 1_000_000_000L);
		if (second < MAX_SECONDS) {
			this.perSecond.incrementAndGet(second);
		}
		if (this.recording) {
			this.latencies.recordValue(Math.max(0, (now - scheduledNanos) / 1000));
		}
	}

	/** Latencies recorded since {@link #startRecording}, in microseconds. */
	Histogram latencies() {
		synchronized (this.total) {
			this.total.add(this.latencies.getIntervalHistogram());
			return this.total.copy();
		}
	}

	long delivered() {
		return this.delivered.get();
	}

	long duplicates() {
		return this.duplicates.get();
	}

	long sent() {
		return this.sent.get();
	}

	long errors() {
		return this.errors.get();
	}

	/** How many of a sender's messages a receiver has seen. */
	long seenBy(int receiver, int sender) {
		BitSet numbers = this.seen.get(((long) receiver << 32) | sender);
		if (numbers == null) {
			return 0;
		}
		synchronized (numbers) {
			return numbers.cardinality();
		}
	}

	/** Deliveries in each second since the start, up to {@code seconds}. */
	long[] perSecond(int seconds) {
		long[] counts = new long[Math.min(seconds, MAX_SECONDS)];
		for (int i = 0; i < counts.length; i++) {
			counts[i] = this.perSecond.get(i);
		}
		return counts;
	}

	int secondsSoFar() {
		return (int) ((System.nanoTime() - this.start) / 1_000_000_000L) + 1;
	}

}
