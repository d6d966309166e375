package dev.parley.presence;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
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

	private final PresenceStore store;

	@Autowired
	PresenceTracker(SimpMessageSendingOperations messaging, Clock clock, Connections connections,
			ObjectProvider<PresenceStore> store) {
		this(messaging, clock, store.getIfAvailable(() -> PresenceStore.local(connections::onlineUsers)));
	}

	/** On one node. */
	PresenceTracker(SimpMessageSendingOperations messaging, Clock clock, Connections connections) {
		this(messaging, clock, PresenceStore.local(connections::onlineUsers));
	}

	private PresenceTracker(SimpMessageSendingOperations messaging, Clock clock, PresenceStore store) {
		this.messaging = messaging;
		this.clock = clock;
		this.store = store;
	}

	@EventListener
	void onOnline(Connections.UserCameOnline event) {
		this.store.online(event.user(), () -> announce(event.user(), "online"));
	}

	@EventListener
	void onOffline(Connections.UserWentOffline event) {
		this.store.offline(event.user(), () -> announce(event.user(), "offline"));
	}

	/** The last node that had the user online is gone (the cluster declared it dead). */
	@EventListener
	void onOfflineElsewhere(PresenceStore.OfflineElsewhere event) {
		announce(event.user(), "offline");
	}

	List<String> online() {
		return this.store.online();
	}

	private void announce(String user, String status) {
		this.messaging.convertAndSend(TOPIC, new PresenceChange(user, status, this.clock.instant()));
	}

	/** What {@code /topic/presence} carries. */
	record PresenceChange(String user, String status, Instant timestamp) {
	}

}
