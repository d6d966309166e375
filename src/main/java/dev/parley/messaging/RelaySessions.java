package dev.parley.messaging;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * What the relay knows of each client session's connection to RabbitMQ: whether RabbitMQ
 * has answered its {@code CONNECT} yet, which subscriptions RabbitMQ holds for it, and
 * the {@code SUBSCRIBE} frames waiting for RabbitMQ's receipt.
 * <p>
 * RabbitMQ ends a client's connection (an {@code ERROR} frame, then a closed socket) for
 * an {@code UNSUBSCRIBE} of a subscription it does not hold, and for a {@code SUBSCRIBE}
 * whose id is in use; Spring's relay drops the frames a session sends before RabbitMQ's
 * {@code CONNECTED}. This is what lets Parley avoid all three.
 */
final class RelaySessions {

	/** The prefix of the receipt ids Parley puts on the frames it forwards. */
	static final String RECEIPT_PREFIX = "parley-relay-";

	private final AtomicLong receiptIds = new AtomicLong();

	/** Per session: completed once RabbitMQ's {@code CONNECTED} came. */
	private final Map<String, CompletableFuture<@Nullable Void>> connected = new ConcurrentHashMap<>();

	/** Per session: subscription id to destination (Parley's form). */
	private final Map<String, Map<String, String>> subscriptions = new ConcurrentHashMap<>();

	/** Receipt id to the session and what waits for it. */
	private final Map<String, Pending> receipts = new ConcurrentHashMap<>();

	private record Pending(String sessionId, CompletableFuture<@Nullable Void> receipt) {
	}

	void connecting(String sessionId) {
		this.connected.putIfAbsent(sessionId, new CompletableFuture<>());
	}

	void connected(String sessionId) {
		this.connected.computeIfAbsent(sessionId, (id) -> new CompletableFuture<>()).complete(null);
	}

	/**
	 * @return completed once RabbitMQ's {@code CONNECTED} came for the session (or the
	 * session ended); completed at once for a session not connecting through the relay
	 */
	CompletableFuture<@Nullable Void> whenConnected(String sessionId) {
		CompletableFuture<@Nullable Void> future = this.connected.get(sessionId);
		return (future != null) ? future : CompletableFuture.completedFuture(null);
	}

	/**
	 * Records a subscription forwarded to RabbitMQ.
	 * @return whether the session already had one with that id at RabbitMQ
	 */
	boolean subscribed(String sessionId, String subscriptionId, String destination) {
		return this.subscriptions.computeIfAbsent(sessionId, (id) -> new ConcurrentHashMap<>())
			.put(subscriptionId, destination) != null;
	}

	boolean holds(String sessionId, String subscriptionId) {
		Map<String, String> session = this.subscriptions.get(sessionId);
		return session != null && session.containsKey(subscriptionId);
	}

	/**
	 * Forgets a subscription, as its {@code UNSUBSCRIBE} goes to RabbitMQ.
	 * @return whether RabbitMQ held it (else the {@code UNSUBSCRIBE} must not go)
	 */
	boolean unsubscribed(String sessionId, String subscriptionId) {
		Map<String, String> session = this.subscriptions.get(sessionId);
		return session != null && session.remove(subscriptionId) != null;
	}

	/**
	 * The sessions subscribed to exactly this destination, with their subscription ids.
	 */
	MultiValueMap<String, String> subscribers(String destination) {
		MultiValueMap<String, String> found = new LinkedMultiValueMap<>();
		this.subscriptions.forEach((sessionId, session) -> session.forEach((subscriptionId, subscribed) -> {
			if (subscribed.equals(destination)) {
				found.add(sessionId, subscriptionId);
			}
		}));
		return found;
	}

	/** A new receipt id to forward a frame with, and what completes when it comes. */
	String expectReceipt(String sessionId, CompletableFuture<@Nullable Void> receipt) {
		String id = RECEIPT_PREFIX + this.receiptIds.incrementAndGet();
		this.receipts.put(id, new Pending(sessionId, receipt));
		return id;
	}

	/**
	 * Called with each receipt id coming from RabbitMQ.
	 * @return whether it was one of Parley's (it goes no further)
	 */
	boolean received(String receiptId) {
		if (!receiptId.startsWith(RECEIPT_PREFIX)) {
			return false;
		}
		Pending pending = this.receipts.remove(receiptId);
		if (pending != null) {
			pending.receipt().complete(null);
		}
		return true;
	}

	void forgetReceipt(String receiptId) {
		this.receipts.remove(receiptId);
	}

	/** The session is gone: nothing waits for it any more. */
	void ended(String sessionId) {
		CompletableFuture<@Nullable Void> connect = this.connected.remove(sessionId);
		if (connect != null) {
			connect.complete(null);
		}
		this.subscriptions.remove(sessionId);
		this.receipts.values().removeIf((pending) -> {
			if (pending.sessionId().equals(sessionId)) {
				pending.receipt().complete(null);
				return true;
			}
			return false;
		});
	}

}
