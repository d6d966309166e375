package dev.parley.cluster;

import java.time.Clock;
import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;

import dev.parley.presence.PresenceStore;
import dev.parley.room.RoomOccupancy;

/**
 * The nodes of the cluster: each one writes a heartbeat into the {@link Shares} every
 * {@code parley.cluster.heartbeat}, and looks for nodes whose heartbeat is older than
 * {@code parley.cluster.node-timeout}. The first node to claim a gone node takes its
 * share out: its users go offline and leave their rooms on every node (with a LEAVE)
 * unless another node has them too, and its sessions stop counting. A node that stops (a
 * drain) does not take its own share out: its users reconnect to other nodes within the
 * timeout, and nobody sees them leave and come back.
 */
final class ClusterNodes {

	private static final Log logger = LogFactory.getLog(ClusterNodes.class);

	private final Shares shares;

	private final String node;

	private final Duration timeout;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final UserRoutes routes;

	ClusterNodes(Shares shares, String node, Duration timeout, ApplicationEventPublisher events, Clock clock,
			UserRoutes routes) {
		this.shares = shares;
		this.routes = routes;
		this.node = node;
		this.timeout = timeout;
		this.events = events;
		this.clock = clock;
	}

	/** Says this node is alive, then takes out the nodes that are not. */
	void beat() {
		try {
			long now = this.clock.millis();
			this.shares.beat(this.node, now);
			long before = now - this.timeout.toMillis();
			for (String dead : this.shares.silentSince(before)) {
				if (!dead.equals(this.node) && this.shares.claim(dead, this.node, before)) {
					takeOut(dead);
				}
			}
		}
		catch (DataAccessException ex) {
			logger.debug("No heartbeat this time, the cluster store is away: " + ex.getMessage());
		}
	}

	/** The nodes alive now, this one included. */
	long alive() {
		return this.shares.alive(this.clock.millis() - this.timeout.toMillis());
	}

	String id() {
		return this.node;
	}

	private void takeOut(String dead) {
		logger.info("Node " + dead + " is gone (no heartbeat for " + this.timeout.toSeconds()
				+ " s): its users leave its rooms and go offline");
		for (String user : this.shares.members(dead, "users")) {
			long left = this.shares.remove(dead, "users", user, "online", user);
			this.routes.gone(user, dead);
			if (left == 0) {
				this.events.publishEvent(new PresenceStore.OfflineElsewhere(user));
			}
		}
		for (String entry : this.shares.members(dead, "rooms")) {
			int split = entry.indexOf(SharedRoomOccupancy.SEPARATOR);
			String room = entry.substring(0, split);
			String user = entry.substring(split + 1);
			if (this.shares.remove(dead, "rooms", entry, "room:" + room, user) == 0) {
				this.events.publishEvent(new RoomOccupancy.Vacated(room, user));
			}
		}
		for (String entry : this.shares.members(dead, "sessions")) {
			String user = entry.substring(0, entry.indexOf(SharedRoomOccupancy.SEPARATOR));
			this.shares.remove(dead, "sessions", entry, "sessions", user);
		}
		this.shares.forget(dead);
	}

}
