package dev.parley.cluster;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;

import dev.parley.messaging.SessionSlots;

/**
 * The sessions-per-user limit on every node together: {@code sessions} counts each user's
 * sessions, this node's share is {@code node:<id>:sessions}. While Redis is away each
 * node holds the limit alone.
 */
final class RedisSessionSlots implements SessionSlots {

	private static final Log logger = LogFactory.getLog(RedisSessionSlots.class);

	private final Shares shares;

	private final String node;

	RedisSessionSlots(Shares shares, String node) {
		this.shares = shares;
		this.node = node;
	}

	@Override
	public boolean acquire(String user, String sessionId, int max) {
		try {
			return this.shares.addBounded(this.shares.nodeKey(this.node, "sessions"), this.shares.key("sessions"),
					user + RedisRoomOccupancy.SEPARATOR + sessionId, user, max);
		}
		catch (DataAccessException ex) {
			logger.debug("Redis away: the sessions of " + user + " counted on this node only: " + ex.getMessage());
			return true;
		}
	}

	@Override
	public void release(String user, String sessionId) {
		try {
			this.shares.remove(this.shares.nodeKey(this.node, "sessions"), this.shares.key("sessions"),
					user + RedisRoomOccupancy.SEPARATOR + sessionId, user);
		}
		catch (DataAccessException ex) {
			logger.debug("Redis away: a session of " + user + " not given back: " + ex.getMessage());
		}
	}

}
