package dev.parley.cluster;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;

import dev.parley.room.RoomOccupancy;

/**
 * Who is in each room on every node: {@code room:<room>} counts, per user, the nodes that
 * have the user in the room; this node's share is {@code node:<id>:rooms}. While Redis is
 * away each node decides alone (a JOIN or LEAVE may then be announced twice), and the
 * room lists it publishes hold the users it knows.
 */
final class RedisRoomOccupancy implements RoomOccupancy {

	private static final Log logger = LogFactory.getLog(RedisRoomOccupancy.class);

	/** Between a room and a user in a node's share: neither may contain it. */
	static final char SEPARATOR = '\n';

	private final Shares shares;

	private final String node;

	RedisRoomOccupancy(Shares shares, String node) {
		this.shares = shares;
		this.node = node;
	}

	@Override
	public boolean arrived(String room, String user) {
		try {
			return this.shares.add(this.shares.nodeKey(this.node, "rooms"), this.shares.key("room:" + room),
					room + SEPARATOR + user, user) == 1;
		}
		catch (DataAccessException ex) {
			logger.debug("Redis away: " + user + " joins " + room + " as seen from this node: " + ex.getMessage());
			return true;
		}
	}

	@Override
	public boolean left(String room, String user) {
		try {
			return this.shares.remove(this.shares.nodeKey(this.node, "rooms"), this.shares.key("room:" + room),
					room + SEPARATOR + user, user) <= 0;
		}
		catch (DataAccessException ex) {
			logger.debug("Redis away: " + user + " leaves " + room + " as seen from this node: " + ex.getMessage());
			return true;
		}
	}

	@Override
	public List<String> users(String room, List<String> here) {
		TreeSet<String> users = new TreeSet<>(here);
		try {
			Map<Object, Object> counts = this.shares.redis().opsForHash().entries(this.shares.key("room:" + room));
			counts.forEach((user, count) -> {
				if (Long.parseLong(count.toString()) > 0) {
					users.add(user.toString());
				}
			});
		}
		catch (DataAccessException ex) {
			logger.debug("Redis away: the users of " + room + " as seen from this node: " + ex.getMessage());
		}
		return List.copyOf(users);
	}

	@Override
	public boolean isShared() {
		return true;
	}

}
