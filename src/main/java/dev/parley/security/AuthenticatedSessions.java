package dev.parley.security;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

import dev.parley.limits.LimitsProperties;
import dev.parley.messaging.Connections;
import dev.parley.replies.ClientErrors;

/**
 * The sessions accepted at {@code CONNECT}: each is bound to its user in
 * {@link Connections} (which caps how many one user may have), and closed with an
 * {@code ERROR} frame when its token expires, unless it refreshed its token.
 */
@Component
class AuthenticatedSessions {

	private final LimitsProperties limits;

	private final ClientErrors errors;

	private final TaskScheduler scheduler;

	private final Connections connections;

	private final Map<String, Entry> sessions = new ConcurrentHashMap<>();

	AuthenticatedSessions(LimitsProperties limits, ClientErrors errors,
			@Lazy @Qualifier("messageBrokerTaskScheduler") TaskScheduler scheduler, Connections connections) {
		this.limits = limits;
		this.errors = errors;
		this.scheduler = scheduler;
		this.connections = connections;
	}

	private record Entry(JwtAuthentication principal, ScheduledFuture<?> expiry) {

		String user() {
			return this.principal.getName();
		}

	}

	/**
	 * @return false when the user already has as many sessions as allowed, or the session
	 * has closed
	 */
	boolean accept(String sessionId, JwtAuthentication user) {
		if (this.sessions.containsKey(sessionId)) {
			// A second CONNECT on an accepted session counts once.
			return true;
		}
		if (!this.connections.bind(sessionId, user, this.limits.maxSessionsPerUser())) {
			return false;
		}
		Entry entry = new Entry(user, scheduleExpiry(sessionId, user.expiresAt()));
		this.sessions.put(sessionId, entry);
		if (this.connections.find(sessionId) == null) {
			// Closed while being accepted: its disconnect may have found nothing to
			// cancel.
			forget(sessionId);
			return false;
		}
		return true;
	}

	/**
	 * Moves the session's end to the new token's expiry; the token must be for the same
	 * user.
	 */
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
		forget(event.getSessionId());
	}

	private void forget(String sessionId) {
		Entry entry = this.sessions.remove(sessionId);
		if (entry != null) {
			entry.expiry().cancel(false);
		}
	}

	int sessionsOf(String user) {
		return this.connections.sessionsOf(user);
	}

	private ScheduledFuture<?> scheduleExpiry(String sessionId, Instant expiresAt) {
		return this.scheduler.schedule(() -> this.errors.closeWithError(sessionId,
				"Unauthorized - Access token expired, refresh it with /app/auth.refresh before it expires", null),
				expiresAt);
	}

}
