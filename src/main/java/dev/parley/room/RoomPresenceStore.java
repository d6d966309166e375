package dev.parley.room;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Who is in which room, in the database, so that it outlives the process (see
 * {@code V4__room_presence.sql}). Written when a user arrives in a room or leaves it, not
 * per message; best effort: while the database is away the chat goes on, and only a
 * restart in that moment would announce some users again.
 */
@Repository
class RoomPresenceStore {

	private static final Log logger = LogFactory.getLog(RoomPresenceStore.class);

	private final JdbcClient jdbc;

	RoomPresenceStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** A user and a room the user was in. */
	record Presence(String room, String user) {
	}

	void arrived(String room, String user) {
		try {
			this.jdbc.sql("insert into room_presence (room, username) values (?, ?)").params(room, user).update();
		}
		catch (DuplicateKeyException ex) {
			// Already known as present: the outcome is the same.
		}
		catch (DataAccessException ex) {
			logger.debug("Could not record that " + user + " is in room " + room + ": " + ex.getMessage());
		}
	}

	void left(String room, String user) {
		try {
			this.jdbc.sql("delete from room_presence where room = ? and username = ?").params(room, user).update();
		}
		catch (DataAccessException ex) {
			logger.debug("Could not record that " + user + " left room " + room + ": " + ex.getMessage());
		}
	}

	List<Presence> all() {
		return this.jdbc.sql("select room, username from room_presence")
			.query((rs, row) -> new Presence(rs.getString(1), rs.getString(2)))
			.list();
	}

}
