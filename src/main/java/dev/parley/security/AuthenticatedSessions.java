package dev.parley.security;


import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

import dev.parley.messaging.ClientErrors;
import dev.parley.messaging.LimitsProperties;

/**
 * The sessions accepted at {@code CONNECT}: how many each user has (capped), and when each one's token expires, at
 * which point the session gets an {@code ERROR} frame and is closed unless it refreshed its token. Counted at
 * {@code CONNECT}, before the session is accepted, which is why this is not the presence count (made after).
 */
@Component
class AuthenticatedSessions {

	private final LimitsProperties limits;

	private final ClientErrors errors;

	private final TaskScheduler scheduler;

	private final Map<String, Entry> sessions = new ConcurrentHashMap<>();

	private final Map<String, Integer> countByUser = new ConcurrentHashMap<>();

	/** Sessions that ended a short while ago: a CONNECT handled after its session closed must not be counted. */
	private final Cache<String, Boolean> ended = Caffeine.newBuilder()
		.expireAfterWrite(Duration.ofMinutes(1))
		.maximumSize(100_000)
		.build();

	AuthenticatedSessions(LimitsProperties limits, ClientErrors errors,
			@Lazy @Qualifier("messageBrokerTaskScheduler") TaskScheduler scheduler) {
		this.limits = limits;
		this.errors = errors;
		this.scheduler = scheduler;
	}

	private record Entry(JwtAuthentication principal, ScheduledFuture<?> expiry) {

		String user() {
			return this.principal.getName();
		}

	}

	/** @return false when the user already has as many sessions as allowed */
	boolean accept(String sessionId, JwtAuthentication user) {
		if (this.sessions.containsKey(sessionId)) {
			// A second CONNECT on an accepted session counts once.
			return true;
		}
		if (this.ended.getIfPresent(sessionId) != null) {
			return false;
		}
		boolean[] accepted = { false };
		this.countByUser.compute(user.getName(), (name, count) -> {
			int current = (count != null) ? count : 0;
			if (current >= this.limits.maxSessionsPerUser()) {
				return count;
			}
			accepted[0] = true;
			return current + 1;
		});
		if (accepted[0]) {
			this.sessions.put(sessionId, new Entry(user, scheduleExpiry(sessionId, user.expiresAt())));
			if (this.ended.getIfPresent(sessionId) != null) {
				// Closed while being accepted: its disconnect may have found nothing to remove.
				forget(sessionId);
				return false;
			}
		}
		return accepted[0];
	}

	/** Moves the session's end to the new token's expiry; the token must be for the same user. */
	boolean refresh(String sessionId, JwtAuthentication user) {
		Entry entry = this.sessions.get(sessionId);
		if (entry == null || !entry.user().equals(user.getName())) {
			return false;
		}
		Entry refreshed = new Entry(entry.principal(), scheduleExpiry(sessionId, user.expiresAt()));
		if (this.sessions.replace(sessionId, entry, refreshed)) {
			entry.expiry().cancel(false);
			return true;
		}
		refreshed.expiry().cancel(false);
		return false;
	}

	@EventListener
	void onDisconnect(SessionDisconnectEvent event) {
		this.ended.put(event.getSessionId(), Boolean.TRUE);
		forget(event.getSessionId());
	}

	private void forget(String sessionId) {
		Entry entry = this.sessions.remove(sessionId);
		if (entry != null) {
			entry.expiry().cancel(false);
			this.countByUser.computeIfPresent(entry.user(), (name, count) -> (count > 1) ? count - 1 : null);
		}
	}

	/** The user an open session was accepted for, or null. */
	@Nullable JwtAuthentication userOf(String sessionId) {
		Entry entry = this.sessions.get(sessionId);
		return (entry != null) ? entry.principal() : null;
	}

	int sessionsOf(String user) {
		return this.countByUser.getOrDefault(user, 0);
	}

	private ScheduledFuture<?> scheduleExpiry(String sessionId, Instant expiresAt) {
		return this.scheduler.schedule(() -> this.errors.closeWithError(sessionId,
				"Unauthorized - Access token expired, refresh it with /app/auth.refresh before it expires", null),
				expiresAt);
	}


}
