package dev.parley.presence;

import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jspecify.annotations.Nullable;

import org.springframework.context.event.EventListener;
import org.springframework.messaging.simp.SimpMessageSendingOperations;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.messaging.AbstractSubProtocolEvent;
import org.springframework.web.socket.messaging.SessionConnectedEvent;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

/**
 * Who is online: a user is online while at least one of the user's sessions is open. The first session to open
 * and the last to close are announced on {@code /topic/presence}.
 */
@Component
class PresenceTracker {

	static final String TOPIC = "/topic/presence";

	private final SimpMessageSendingOperations messaging;

	private final Clock clock;

	private final Map<String, Set<String>> sessionsByUser = new HashMap<>();

	/**
	 * Sessions that ended a short while ago. Spring publishes the connected event from the thread that sends
	 * {@code CONNECTED}, which can lose a race with the close of a session that ended at once: the late event must
	 * not leave the user online for good.
	 */
	private final Cache<String, Boolean> ended = Caffeine.newBuilder()
		.expireAfterWrite(Duration.ofMinutes(1))
		.maximumSize(100_000)
		.build();

	PresenceTracker(SimpMessageSendingOperations messaging, Clock clock) {
		this.messaging = messaging;
		this.clock = clock;
	}

	@EventListener
	void onConnected(SessionConnectedEvent event) {
		String user = userOf(event);
		String sessionId = sessionOf(event);
		if (user == null || sessionId == null) {
			return;
		}
		synchronized (this) {
			if (this.ended.getIfPresent(sessionId) != null) {
				return;
			}
			Set<String> sessions = this.sessionsByUser.computeIfAbsent(user, (key) -> new HashSet<>());
			if (sessions.add(sessionId) && sessions.size() == 1) {
				announce(user, "online");
			}
		}
	}

	@EventListener
	void onDisconnect(SessionDisconnectEvent event) {
		String user = userOf(event);
		if (user == null) {
			return;
		}
		synchronized (this) {
			this.ended.put(event.getSessionId(), Boolean.TRUE);
			Set<String> sessions = this.sessionsByUser.get(user);
			if (sessions != null && sessions.remove(event.getSessionId()) && sessions.isEmpty()) {
				this.sessionsByUser.remove(user);
				announce(user, "offline");
			}
		}
	}

	synchronized List<String> online() {
		return this.sessionsByUser.keySet().stream().sorted().toList();
	}

	/** Called with the monitor held, so that online and offline of one user go out in order. */
	private void announce(String user, String status) {
		this.messaging.convertAndSend(TOPIC, new PresenceChange(user, status, this.clock.instant()));
	}

	private static @Nullable String userOf(AbstractSubProtocolEvent event) {
		Principal user = event.getUser();
		return (user != null) ? user.getName() : null;
	}

	private static @Nullable String sessionOf(SessionConnectedEvent event) {
		return org.springframework.messaging.simp.SimpMessageHeaderAccessor
			.getSessionId(event.getMessage().getHeaders());
	}

	/** What {@code /topic/presence} carries. */
	record PresenceChange(String user, String status, Instant timestamp) {
	}

}
