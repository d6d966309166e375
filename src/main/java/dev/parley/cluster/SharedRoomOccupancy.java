package dev.parley.cluster;

import java.util.List;
import java.util.TreeSet;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;

import dev.parley.room.RoomOccupancy;

/**
 * Who is in each room on every node: the {@code room:<room>} count of a user is the
 * number of nodes that have the user in the room; this node's share is {@code rooms}.
 * While the store is away each node decides alone (a JOIN or LEAVE may then be announced
 * twice), and the room lists it publishes hold the users it knows.
 */
final class SharedRoomOccupancy implements RoomOccupancy {

	private static final Log logger = LogFactory.getLog(SharedRoomOccupancy.class);

	/** Between a room and a user in a node's share: neither may contain it. */
	static final char SEPARATOR = '\n';

	private final Shares shares;

	private final String node;

	SharedRoomOccupancy(Shares shares, String node) {
		this.shares = shares;
		this.node = node;
	}

	@Override
	public boolean arrived(String room, String user) {
		try {
			return this.shares.add(this.node, "rooms", room + SEPARATOR + user, "room:" + room, user) == 1;
		}
		catch (DataAccessException ex) {
			logger.debug(
					"Cluster store away: " + user + " joins " + room + " as seen from this node: " + ex.getMessage());
			return true;
		}
	}

	@Override
	public boolean left(String room, String user) {
		try {
			return this.shares.remove(this.node, "rooms", room + SEPARATOR + user, "room:" + room, user) <= 0;
		}
		catch (DataAccessException ex) {
			logger.debug(
					"Cluster store away: " + user + " leaves " + room + " as seen from this node: " + ex.getMessage());
			return true;
		}
	}

	@Override
	public List<String> users(String room, List<String> here) {
		TreeSet<String> users = new TreeSet<>(here);
		try {
			users.addAll(this.shares.counts("room:" + room).keySet());
		}
		catch (DataAccessException ex) {
			logger.debug("Cluster store away: the users of " + room + " as seen from this node: " + ex.getMessage());
		}
		return List.copyOf(users);
	}

	@Override
	public boolean isShared() {
		return true;
	}

}
