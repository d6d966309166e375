package dev.parley.cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.parley.presence.PresenceStore;
import dev.parley.room.RoomOccupancy;

/**
 * The nodes of the cluster: each one writes a heartbeat into {@code nodes} every
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

	ClusterNodes(Shares shares, String node, Duration timeout, ApplicationEventPublisher events, Clock clock) {
		this.shares = shares;
		this.node = node;
		this.timeout = timeout;
		this.events = events;
		this.clock = clock;
	}

	/** Says this node is alive, then takes out the nodes that are not. */
	void beat() {
		try {
			StringRedisTemplate redis = this.shares.redis();
			long now = this.clock.millis();
			redis.opsForZSet().add(this.shares.key("nodes"), this.node, now);
			Set<String> gone = redis.opsForZSet()
				.rangeByScore(this.shares.key("nodes"), Double.NEGATIVE_INFINITY, now - this.timeout.toMillis());
			if (gone != null) {
				for (String dead : gone) {
					if (!dead.equals(this.node) && claim(dead)) {
						takeOut(dead);
					}
				}
			}
		}
		catch (DataAccessException ex) {
			logger.debug("No heartbeat this time, Redis is away: " + ex.getMessage());
		}
	}

	/** The nodes alive now, this one included. */
	long alive() {
		Long count = this.shares.redis()
			.opsForZSet()
			.count(this.shares.key("nodes"), this.clock.millis() - this.timeout.toMillis(), Double.POSITIVE_INFINITY);
		return (count != null) ? count : 0;
	}

	String id() {
		return this.node;
	}

	private boolean claim(String dead) {
		Boolean claimed = this.shares.redis()
			.opsForValue()
			.setIfAbsent(this.shares.key("claim:" + dead), this.node, Duration.ofMinutes(1));
		return Boolean.TRUE.equals(claimed);
	}

	private void takeOut(String dead) {
		StringRedisTemplate redis = this.shares.redis();
		logger.info("Node " + dead + " is gone (no heartbeat for " + this.timeout.toSeconds()
				+ " s): its users leave its rooms and go offline");
		String users = this.shares.nodeKey(dead, "users");
		for (String user : members(users)) {
			long left = this.shares.remove(users, this.shares.key("online"), user, user);
			redis.opsForSet().remove(this.shares.key("user:" + user), dead);
			if (left == 0) {
				this.events.publishEvent(new PresenceStore.OfflineElsewhere(user));
			}
		}
		String rooms = this.shares.nodeKey(dead, "rooms");
		for (String entry : members(rooms)) {
			int split = entry.indexOf(RedisRoomOccupancy.SEPARATOR);
			String room = entry.substring(0, split);
			String user = entry.substring(split + 1);
			if (this.shares.remove(rooms, this.shares.key("room:" + room), entry, user) == 0) {
				this.events.publishEvent(new RoomOccupancy.Vacated(room, user));
			}
		}
		String sessions = this.shares.nodeKey(dead, "sessions");
		for (String entry : members(sessions)) {
			String user = entry.substring(0, entry.indexOf(RedisRoomOccupancy.SEPARATOR));
			this.shares.remove(sessions, this.shares.key("sessions"), entry, user);
		}
		redis.opsForZSet().remove(this.shares.key("nodes"), dead);
	}

	private Set<String> members(String key) {
		Set<String> members = this.shares.redis().opsForSet().members(key);
		return (members != null) ? members : Set.of();
	}

}
