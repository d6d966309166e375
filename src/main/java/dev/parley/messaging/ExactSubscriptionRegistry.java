package dev.parley.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.broker.AbstractSubscriptionRegistry;
import org.springframework.messaging.simp.broker.DefaultSubscriptionRegistry;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * The in-memory broker's subscriptions, indexed by exact destination: finding who is
 * subscribed to a destination is one map look-up, whatever the number of sessions.
 * <p>
 * Works around Spring's {@link DefaultSubscriptionRegistry}, which matches destinations
 * as patterns: it keeps the matches of at most {@code cacheLimit} destinations (1,024 by
 * default) and finds those of any other destination by scanning every subscription of
 * every session, under a lock on the cache entry. In a chat every room, every room's user
 * list and every session's own queues ({@code /user/queue/errors} resolves to one
 * destination per session) is a destination, so the first message to each, and every
 * message once the cache overflows, costs a scan of all subscriptions: 10,000 clients in
 * 1,000 rooms fell minutes behind (the load tool's {@code rooms} scenario), where the
 * plain application with one destination per room kept up. Parley's destinations are
 * exact (wildcards are refused by {@code DestinationRules}), so nothing of the pattern
 * matching is lost; nor are message selectors, which Parley does not offer (a client's
 * {@code selector} header is ignored instead of evaluated).
 * {@code ExactSubscriptionRegistryTests} has the canary: it fails when Spring's registry
 * stops scanning on a miss.
 */
final class ExactSubscriptionRegistry extends AbstractSubscriptionRegistry {

	/** Destination → session id → subscription ids. */
	private final Map<String, Subscribers> byDestination = new ConcurrentHashMap<>();

	/** Session id → subscription id → destination. */
	private final Map<String, Map<String, String>> bySession = new ConcurrentHashMap<>();

	@Override
	protected void addSubscriptionInternal(String sessionId, String subscriptionId, String destination,
			Message<?> message) {
		String before = this.bySession.computeIfAbsent(sessionId, (key) -> new ConcurrentHashMap<>())
			.put(subscriptionId, destination);
		if (before != null && !before.equals(destination)) {
			forget(before, sessionId, subscriptionId);
		}
		this.byDestination.compute(destination, (key, subscribers) -> {
			Subscribers present = (subscribers != null) ? subscribers : new Subscribers();
			present.sessions.computeIfAbsent(sessionId, (id) -> ConcurrentHashMap.newKeySet()).add(subscriptionId);
			present.changed();
			return present;
		});
	}

	@Override
	protected void removeSubscriptionInternal(String sessionId, String subscriptionId, Message<?> message) {
		Map<String, String> subscriptions = this.bySession.get(sessionId);
		String destination = (subscriptions != null) ? subscriptions.remove(subscriptionId) : null;
		if (destination != null) {
			forget(destination, sessionId, subscriptionId);
		}
	}

	@Override
	public void unregisterAllSubscriptions(String sessionId) {
		Map<String, String> subscriptions = this.bySession.remove(sessionId);
		if (subscriptions != null) {
			subscriptions.forEach((subscriptionId, destination) -> forget(destination, sessionId, subscriptionId));
		}
	}

	@Override
	protected MultiValueMap<String, String> findSubscriptionsInternal(String destination, Message<?> message) {
		Subscribers subscribers = this.byDestination.get(destination);
		Map<String, Set<String>> sessions = (subscribers != null) ? subscribers.sessions : null;
		LinkedMultiValueMap<String, String> found = new LinkedMultiValueMap<>((sessions != null) ? sessions.size() : 0);
		if (sessions != null) {
			sessions.forEach((sessionId, ids) -> ids.forEach((id) -> found.add(sessionId, id)));
		}
		return found;
	}

	/**
	 * Calls the action with every subscription to the destination (session id,
	 * subscription id), without the map that {@code findSubscriptions} makes of them.
	 */
	void forEachSubscription(String destination, BiConsumer<String, String> action) {
		Subscribers subscribers = this.byDestination.get(destination);
		if (subscribers == null) {
			return;
		}
		String[] pairs = subscribers.pairs();
		for (int i = 0; i < pairs.length; i += 2) {
			action.accept(pairs[i], pairs[i + 1]);
		}
	}

	private void forget(String destination, String sessionId, String subscriptionId) {
		this.byDestination.computeIfPresent(destination, (key, subscribers) -> {
			Set<String> ids = subscribers.sessions.get(sessionId);
			if (ids != null) {
				ids.remove(subscriptionId);
				if (ids.isEmpty()) {
					subscribers.sessions.remove(sessionId);
				}
				subscribers.changed();
			}
			return subscribers.sessions.isEmpty() ? null : subscribers;
		});
	}

	/**
	 * A destination's subscriptions, and an array of them (session id, subscription id,
	 * ...) that a broadcast goes through: made again on the first broadcast after they
	 * change, rather than walking two levels of maps per broadcast.
	 */
	private static final class Subscribers {

		final Map<String, Set<String>> sessions = new ConcurrentHashMap<>();

		/**
		 * Counts the changes; a snapshot is good while it is the count it was made at.
		 */
		private final AtomicLong changes = new AtomicLong();

		private volatile @Nullable Snapshot snapshot;

		void changed() {
			this.changes.incrementAndGet();
		}

		String[] pairs() {
			Snapshot last = this.snapshot;
			long now = this.changes.get();
			if (last != null && last.changes == now) {
				return last.pairs;
			}
			// Read after the count: a change made meanwhile leaves this snapshot out of
			// date, made again next time, and this broadcast sees the maps as they were
			// while read (as iterating them would).
			List<String> pairs = new ArrayList<>();
			this.sessions.forEach((sessionId, ids) -> ids.forEach((id) -> {
				pairs.add(sessionId);
				pairs.add(id);
			}));
			Snapshot made = new Snapshot(now, pairs.toArray(String[]::new));
			this.snapshot = made;
			return made.pairs;
		}

	}

	private record Snapshot(long changes, String[] pairs) {
	}

}
