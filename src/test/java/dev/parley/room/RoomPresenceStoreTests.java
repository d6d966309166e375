package dev.parley.room;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.context.annotation.Import;

import dev.parley.room.RoomPresenceStore.Presence;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who is in which room, as the database keeps it for the next start: the store alone, on
 * an embedded database migrated as the application's is.
 */
@JdbcTest
@Import(RoomPresenceStore.class)
class RoomPresenceStoreTests {

	@Autowired
	RoomPresenceStore store;

	@Test
	void nobodyIsInAnyRoomAtFirst() {
		assertThat(this.store.all()).isEmpty();
	}

	@Test
	void aUserIsInEachRoomUntilLeavingIt() {
		this.store.arrived("lobby", "alice");
		this.store.arrived("lobby", "bob");
		this.store.arrived("kitchen", "alice");
		assertThat(this.store.all()).containsExactlyInAnyOrder(new Presence("lobby", "alice"),
				new Presence("lobby", "bob"), new Presence("kitchen", "alice"));

		this.store.left("lobby", "alice");
		assertThat(this.store.all()).containsExactlyInAnyOrder(new Presence("lobby", "bob"),
				new Presence("kitchen", "alice"));
	}

	@Test
	void arrivingAgainIsRecordedOnce() {
		this.store.arrived("lobby", "alice");
		this.store.arrived("lobby", "alice");
		assertThat(this.store.all()).containsExactly(new Presence("lobby", "alice"));
	}

	@Test
	void leavingARoomOneIsNotInChangesNothing() {
		this.store.arrived("lobby", "alice");
		this.store.left("kitchen", "alice");
		this.store.left("lobby", "bob");
		assertThat(this.store.all()).containsExactly(new Presence("lobby", "alice"));
	}

}
