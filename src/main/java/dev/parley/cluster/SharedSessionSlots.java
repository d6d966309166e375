package dev.parley.cluster;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;

import dev.parley.messaging.SessionSlots;

/**
 * The sessions-per-user limit on every node together: the {@code sessions} count of a
 * user is its sessions on every node; this node's share is {@code sessions}. While the
 * store is away each node holds the limit alone.
 */
final class SharedSessionSlots implements SessionSlots {

	private static final Log logger = LogFactory.getLog(SharedSessionSlots.class);

	private final Shares shares;

	private final String node;

	SharedSessionSlots(Shares shares, String node) {
		this.shares = shares;
		this.node = node;
	}

	@Override
	public boolean acquire(String user, String sessionId, int max) {
		try {
			return this.shares.addBounded(this.node, "sessions", user + SharedRoomOccupancy.SEPARATOR + sessionId,
					"sessions", user, max);
		}
		catch (DataAccessException ex) {
			logger.debug(
					"Cluster store away: the sessions of " + user + " counted on this node only: " + ex.getMessage());
			return true;
		}
	}

	@Override
	public void release(String user, String sessionId) {
		try {
			this.shares.remove(this.node, "sessions", user + SharedRoomOccupancy.SEPARATOR + sessionId, "sessions",
					user);
		}
		catch (DataAccessException ex) {
			logger.debug("Cluster store away: a session of " + user + " not given back: " + ex.getMessage());
		}
	}

}
