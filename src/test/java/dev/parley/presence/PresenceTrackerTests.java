package dev.parley.presence;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import dev.parley.messaging.Connections;
import dev.parley.presence.PresenceTracker.PresenceChange;
import dev.parley.support.RecordingChannel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

class PresenceTrackerTests {

	private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

	private final RecordingChannel channel = new RecordingChannel();

	private final PresenceTracker tracker = new PresenceTracker(this.channel.template(),
			Clock.fixed(NOW, ZoneOffset.UTC), mock(Connections.class));

	@Test
	void aUserComingOnlineAndGoingOfflineIsAnnounced() {
		this.tracker.onOnline(new Connections.UserCameOnline("alice"));
		this.tracker.onOffline(new Connections.UserWentOffline("alice"));

		assertThat(this.channel.payloadsTo(PresenceTracker.TOPIC))
			.containsExactly(new PresenceChange("alice", "online", NOW), new PresenceChange("alice", "offline", NOW));
	}

}
