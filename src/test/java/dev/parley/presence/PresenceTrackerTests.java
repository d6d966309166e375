package dev.parley.presence;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.messaging.SessionConnectedEvent;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

import dev.parley.presence.PresenceTracker.PresenceChange;
import dev.parley.support.RecordingChannel;

import static org.assertj.core.api.Assertions.assertThat;

class PresenceTrackerTests {

	private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

	private final RecordingChannel channel = new RecordingChannel();

	private final PresenceTracker tracker = new PresenceTracker(this.channel.template(),
			Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void firstSessionAnnouncesOnlineAndLastAnnouncesOffline() {
		this.tracker.onConnected(connected("s1", "alice"));
		this.tracker.onConnected(connected("s2", "alice"));
		this.tracker.onConnected(connected("s3", "bob"));
		assertThat(this.tracker.online()).containsExactly("alice", "bob");

		this.tracker.onDisconnect(disconnect("s1", "alice"));
		assertThat(this.tracker.online()).containsExactly("alice", "bob");
		this.tracker.onDisconnect(disconnect("s2", "alice"));
		this.tracker.onDisconnect(disconnect("s2", "alice"));

		assertThat(this.tracker.online()).containsExactly("bob");
		assertThat(this.channel.payloadsTo(PresenceTracker.TOPIC)).containsExactly(
				new PresenceChange("alice", "online", NOW), new PresenceChange("bob", "online", NOW),
				new PresenceChange("alice", "offline", NOW));
	}

	@Test
	void aConnectedEventThatArrivesAfterItsSessionEndedLeavesNobodyOnline() {
		this.tracker.onDisconnect(disconnect("s7", "carol"));
		this.tracker.onConnected(connected("s7", "carol"));

		assertThat(this.tracker.online()).doesNotContain("carol");
		assertThat(this.channel.payloadsTo(PresenceTracker.TOPIC)).isEmpty();
	}

	private static SessionConnectedEvent connected(String sessionId, String user) {
		var auth = new TestingAuthenticationToken(user, null);
		var message = MessageBuilder.withPayload(new byte[0])
			.copyHeaders(Map.of(SimpMessageHeaderAccessor.SESSION_ID_HEADER, sessionId,
					SimpMessageHeaderAccessor.MESSAGE_TYPE_HEADER, SimpMessageType.CONNECT_ACK))
			.build();
		return new SessionConnectedEvent(new Object(), message, auth);
	}

	private static SessionDisconnectEvent disconnect(String sessionId, String user) {
		var message = MessageBuilder.withPayload(new byte[0])
			.copyHeaders(Map.of(SimpMessageHeaderAccessor.SESSION_ID_HEADER, sessionId))
			.build();
		return new SessionDisconnectEvent(new Object(), message, sessionId, CloseStatus.NORMAL,
				new TestingAuthenticationToken(user, null));
	}

}
