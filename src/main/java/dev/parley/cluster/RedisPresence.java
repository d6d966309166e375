package dev.parley.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;

import dev.parley.presence.PresenceStore;

/**
 * Who is online on every node: {@code online} counts, per user, the nodes that have the
 * user online, and {@code user:<name>} lists them (for user destinations). Changes run
 * one after the other on one thread, off the thread that opened or closed the session, so
 * one user's online and offline are counted in order.
 */
final class RedisPresence implements PresenceStore {

	private static final Log logger = LogFactory.getLog(RedisPresence.class);

	private final Shares shares;

	private final String node;

	private final ExecutorService worker;

	RedisPresence(Shares shares, String node, ExecutorService worker) {
		this.shares = shares;
		this.node = node;
		this.worker = worker;
	}

	@Override
	public void online(String user, Runnable announce) {
		this.worker.execute(() -> {
			long count;
			try {
				count = this.shares.add(this.shares.nodeKey(this.node, "users"), this.shares.key("online"), user, user);
				this.shares.redis().opsForSet().add(this.shares.key("user:" + user), this.node);
			}
			catch (DataAccessException ex) {
				logger.debug("Redis away: " + user + " announced online from this node alone: " + ex.getMessage());
				count = 1;
			}
			if (count == 1) {
				announce.run();
			}
		});
	}

	@Override
	public void offline(String user, Runnable announce) {
		this.worker.execute(() -> {
			long left;
			try {
				left = this.shares.remove(this.shares.nodeKey(this.node, "users"), this.shares.key("online"), user,
						user);
				this.shares.redis().opsForSet().remove(this.shares.key("user:" + user), this.node);
			}
			catch (DataAccessException ex) {
				logger.debug("Redis away: " + user + " announced offline from this node alone: " + ex.getMessage());
				left = 0;
			}
			if (left <= 0) {
				announce.run();
			}
		});
	}

	@Override
	public List<String> online() {
		Map<Object, Object> counts = this.shares.redis().opsForHash().entries(this.shares.key("online"));
		List<String> users = new ArrayList<>();
		counts.forEach((user, count) -> {
			if (Long.parseLong(count.toString()) > 0) {
				users.add(user.toString());
			}
		});
		users.sort(null);
		return users;
	}

}
