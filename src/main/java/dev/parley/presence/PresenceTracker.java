package dev.parley.presence;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.springframework.context.event.EventListener;
import org.springframework.messaging.simp.SimpMessageSendingOperations;
import org.springframework.stereotype.Component;

import dev.parley.messaging.Connections;
import dev.parley.protocol.Protocol;

/**
 * Who is online: a user is online while at least one of the user's sessions is open
 * ({@link Connections} keeps them). The first session to open and the last to close are
 * announced on {@code /topic/presence}; both events come under the registry's monitor, so
 * one user's online and offline go out in order.
 */
@Component
class PresenceTracker {

	static final String TOPIC = Protocol.PRESENCE_TOPIC;

	private final SimpMessageSendingOperations messaging;

	private final Clock clock;

	private final Connections connections;

	PresenceTracker(SimpMessageSendingOperations messaging, Clock clock, Connections connections) {
		this.messaging = messaging;
		this.clock = clock;
		this.connections = connections;
	}

	@EventListener
	void onOnline(Connections.UserCameOnline event) {
		announce(event.user(), "online");
	}

	@EventListener
	void onOffline(Connections.UserWentOffline event) {
		announce(event.user(), "offline");
	}

	List<String> online() {
		return this.connections.onlineUsers();
	}

	private void announce(String user, String status) {
		this.messaging.convertAndSend(TOPIC, new PresenceChange(user, status, this.clock.instant()));
	}

	/** What {@code /topic/presence} carries. */
	record PresenceChange(String user, String status, Instant timestamp) {
	}

}
