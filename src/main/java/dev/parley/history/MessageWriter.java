package dev.parley.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.parley.replies.StoredReplies;

/**
 * Stores messages with group commit: one thread takes whatever is waiting, up to
 * {@code max-batch}, and stores it in one transaction. A lone message is stored at once;
 * under load, messages that arrive while a commit is under way share the next one, so
 * commits per second stay low while messages per second grow.
 * <p>
 * After the commit, the batch goes to a second thread, {@code parley-message-publisher},
 * while the writer stores the next batch: storing and publishing overlap, on two cores.
 * There each message's {@code onStored} action runs in sequence order (this is where
 * messages are published, so subscribers see them in {@code seq} order), then its future
 * completes (receipts). Batches reach the publisher in the order they were committed, and
 * so do failures, so a client's receipts and errors keep the order of its messages. At
 * most {@link #PUBLISHER_QUEUE} committed batches wait for it; beyond that the writer
 * waits, and new messages are refused as {@code storage-busy} once the writer's own queue
 * is full. Written by hand because no library does group commit over JDBC; the batching
 * itself is JDBC's.
 */
@Component
public class MessageWriter implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(MessageWriter.class);

	private final MessageStore store;

	private final TransactionTemplate transactions;

	private final HistoryProperties properties;

	private final BlockingQueue<Pending> queue;

	private volatile boolean running;

	private volatile @Nullable Thread thread;

	/** Committed batches (and failed ones) waiting for the publisher thread, in order. */
	static final int PUBLISHER_QUEUE = 16;

	private final BlockingQueue<Runnable> afterCommit = new ArrayBlockingQueue<>(PUBLISHER_QUEUE);

	/** Set once the writer thread has stored, or failed, everything it took. */
	private volatile boolean writerDone;

	private volatile @Nullable Thread publisher;

	private final Timer commits;

	private final DistributionSummary batchSizes;

	MessageWriter(MessageStore store, TransactionTemplate transactions, HistoryProperties properties,
			MeterRegistry registry) {
		this.store = store;
		this.transactions = transactions;
		this.properties = properties;
		this.queue = new ArrayBlockingQueue<>(properties.queueCapacity());
		this.commits = Timer.builder("parley.storage.commit")
			.description("Time to store one batch of messages, commit included")
			.publishPercentiles(0.5, 0.99)
			.register(registry);
		this.batchSizes = DistributionSummary.builder("parley.storage.batch.size")
			.description("Messages stored per transaction")
			.register(registry);
		Gauge.builder("parley.storage.queue", this.queue, BlockingQueue::size)
			.description("Messages waiting to be stored")
			.register(registry);
	}

	/**
	 * Thrown (in the future) when the store cannot take the message; the message was not
	 * stored.
	 */
	public static class StorageException extends RuntimeException implements StoredReplies.Failure {

		private final String code;

		StorageException(String code, String message, @Nullable Throwable cause) {
			super(message, cause);
			this.code = code;
		}

		@Override
		public String code() {
			return this.code;
		}

	}

	private record Pending(Draft draft, Consumer<MessageStore.Stored> onStored,
			CompletableFuture<MessageStore.Stored> result) {
	}

	/**
	 * Queues a message for storing.
	 * @param onStored runs on the publisher thread after the commit, in sequence order;
	 * not for repeats
	 * @return completes with the stored message once committed and {@code onStored} ran,
	 * or with a {@link StorageException}
	 */
	public CompletableFuture<MessageStore.Stored> append(Draft draft, Consumer<MessageStore.Stored> onStored) {
		CompletableFuture<MessageStore.Stored> result = new CompletableFuture<>();
		if (!this.running) {
			result.completeExceptionally(
					new StorageException("storage-unavailable", "The server is shutting down", null));
		}
		else if (this.lastWriteFailed && (isFailingFast() || !this.probing.compareAndSet(false, true))) {
			// Refused at once while the breaker is open, and while the one message that
			// tries again is under way.
			result.completeExceptionally(unavailable(null));
		}
		else if (!this.queue.offer(new Pending(draft, onStored, result))) {
			result.completeExceptionally(new StorageException("storage-busy",
					"The server is storing too many messages; try again shortly", null));
		}
		return result;
	}

	private void run() {
		try {
			store();
		}
		finally {
			this.writerDone = true;
		}
	}

	private void store() {
		List<Pending> batch = new ArrayList<>();
		while (this.running || !this.queue.isEmpty()) {
			try {
				Pending first = this.queue.poll(100, TimeUnit.MILLISECONDS);
				if (first == null) {
					continue;
				}
				batch.add(first);
				this.queue.drainTo(batch, this.properties.maxBatch() - 1);
				write(batch);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (Throwable ex) {
				// Whatever went wrong, the writer thread goes on, and no sender waits
				// forever.
				logger.error("Message writer failed", ex);
				if (isUnreachable(ex)) {
					openBreaker();
				}
				else {
					this.probing.set(false);
				}
				StorageException failure = unavailable(ex);
				failLater(batch, failure);
			}
			finally {
				batch.clear();
			}
		}
	}

	/**
	 * Gives the publisher what follows a batch's commit, behind what went before. Waits
	 * while it is {@link #PUBLISHER_QUEUE} batches behind.
	 */
	private void handOff(Runnable task) {
		try {
			this.afterCommit.put(task);
		}
		catch (InterruptedException ex) {
			// Still in order: everything handed off before has been taken.
			Thread.currentThread().interrupt();
			task.run();
		}
	}

	/**
	 * Hands off the failure of messages taken but not stored, behind what went before.
	 */
	private void failLater(List<Pending> pendings, StorageException failure) {
		List<Pending> failed = List.copyOf(pendings);
		handOff(() -> failed.forEach((pending) -> pending.result().completeExceptionally(failure)));
	}

	private void publish() {
		while (!this.writerDone || !this.afterCommit.isEmpty()) {
			try {
				Runnable task = this.afterCommit.poll(100, TimeUnit.MILLISECONDS);
				if (task != null) {
					task.run();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (Throwable ex) {
				logger.error("Message publisher failed", ex);
			}
		}
	}

	private void write(List<Pending> batch) {
		write(batch, false);
	}

	private void write(List<Pending> batch, boolean retry) {
		List<Draft> drafts = batch.stream().map(Pending::draft).toList();
		List<MessageStore.Stored> stored;
		try {
			stored = storeInOneTransaction(drafts);
		}
		catch (DuplicateKeyException ex) {
			if (!retry) {
				// Most likely a repeat stored by another node between our look-up and our
				// insert: store one by one, so that the look-up finds it now and the
				// others are not held back by it.
				for (Pending pending : batch) {
					write(List.of(pending), true);
				}
				return;
			}
			fail(batch, ex);
			return;
		}
		catch (RuntimeException ex) {
			fail(batch, ex);
			return;
		}
		this.lastWriteFailed = false;
		this.probing.set(false);
		List<Pending> committed = List.copyOf(batch);
		handOff(() -> published(committed, stored));
	}

	/** On the publisher thread: a committed batch's messages published, in order. */
	private void published(List<Pending> batch, List<MessageStore.Stored> stored) {
		for (int i = 0; i < batch.size(); i++) {
			Pending pending = batch.get(i);
			MessageStore.Stored result = stored.get(i);
			if (result.repeat() && !pending.draft().isResendOf(result.message())) {
				pending.result()
					.completeExceptionally(new StorageException("client-message-id-reused",
							"clientMessageId '" + pending.draft().clientMessageId()
									+ "' was already used for a different "
									+ "message; use a new id for every message (a resend keeps its id)",
							null));
				continue;
			}
			if (!result.repeat()) {
				try {
					pending.onStored().accept(result);
				}
				catch (RuntimeException ex) {
					logger.error("Failed to publish a stored message", ex);
				}
			}
			pending.result().complete(result);
		}
	}

	private void fail(List<Pending> batch, RuntimeException ex) {
		logger.warn("Could not store " + batch.size() + " message(s): " + ex.getMessage());
		StorageException failure = unavailable(ex);
		failLater(batch, failure);
		if (!isUnreachable(ex)) {
			// The database answered (a duplicate, a refused write): nothing to wait out;
			// a probe is done.
			this.probing.set(false);
		}
		else {
			openBreaker();
			// Whatever waited behind this batch would wait as long for the same answer:
			// give it now.
			List<Pending> waiting = new ArrayList<>();
			this.queue.drainTo(waiting);
			failLater(waiting, failure);
		}
	}

	private static StorageException unavailable(@Nullable Throwable cause) {
		return new StorageException("storage-unavailable", "The message could not be stored; it was not sent", cause);
	}

	/*
	 * A circuit breaker, by hand (a few fields; a library's would bring its own threads
	 * and settings): after a write failed because the database could not be reached,
	 * messages are refused at once for PROBE_INTERVAL instead of each waiting the pool's
	 * connection timeout; then one message tries the database again while the others are
	 * still refused, until it succeeds.
	 */

	/**
	 * How long messages are refused at once after a failed write, before the next one
	 * tries again.
	 */
	static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

	private volatile long failingFastUntil;

	private volatile boolean lastWriteFailed;

	/** Set while one message, let through after the window, tries the database again. */
	private final java.util.concurrent.atomic.AtomicBoolean probing = new java.util.concurrent.atomic.AtomicBoolean();

	/**
	 * Whether a failure says the database could not be reached, as opposed to an answer
	 * it gave.
	 */
	private static boolean isUnreachable(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof java.sql.SQLTransientConnectionException
					|| cause instanceof java.sql.SQLNonTransientConnectionException
					|| cause instanceof java.net.ConnectException
					|| cause instanceof org.springframework.transaction.CannotCreateTransactionException
					|| cause instanceof org.springframework.dao.DataAccessResourceFailureException) {
				return true;
			}
		}
		return false;
	}

	private void openBreaker() {
		this.failingFastUntil = System.nanoTime() + PROBE_INTERVAL.toNanos();
		this.lastWriteFailed = true;
		this.probing.set(false);
	}

	/**
	 * Whether messages are being refused at once after a failed write (for at most
	 * {@link #PROBE_INTERVAL}).
	 */
	boolean isFailingFast() {
		return this.lastWriteFailed && System.nanoTime() - this.failingFastUntil < 0;
	}

	private List<MessageStore.Stored> storeInOneTransaction(List<Draft> drafts) {
		long start = System.nanoTime();
		this.store.prepareSequences(drafts);
		List<MessageStore.Stored> stored = this.transactions.execute((status) -> this.store.store(drafts));
		this.commits.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
		this.batchSizes.record(drafts.size());
		return stored;
	}

	@Override
	public void start() {
		this.running = true;
		this.writerDone = false;
		Thread writer = new Thread(this::run, "parley-message-writer");
		writer.setDaemon(true);
		Thread publisher = new Thread(this::publish, "parley-message-publisher");
		publisher.setDaemon(true);
		this.thread = writer;
		this.publisher = publisher;
		publisher.start();
		writer.start();
	}

	/** Stops taking messages, stores and publishes what was accepted, then returns. */
	@Override
	public void stop() {
		this.running = false;
		try {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			for (Thread thread : new Thread[] { this.thread, this.publisher }) {
				if (thread != null) {
					thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Stops after the messaging infrastructure stops sending to it, before the database
	 * goes.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 100;
	}

}
