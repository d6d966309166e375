package dev.parley.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;

import dev.parley.presence.PresenceStore;

/**
 * Who is online on every node: the {@code online} count of a user is the number of nodes
 * that have the user online; this node's share is {@code users}. Changes run one after
 * the other on one thread, off the thread that opened or closed the session, so one
 * user's online and offline are counted in order. While the store is away each node
 * decides alone.
 */
final class SharedPresence implements PresenceStore {

	private static final Log logger = LogFactory.getLog(SharedPresence.class);

	private final Shares shares;

	private final String node;

	private final ExecutorService worker;

	private final UserRoutes routes;

	SharedPresence(Shares shares, String node, ExecutorService worker, UserRoutes routes) {
		this.shares = shares;
		this.node = node;
		this.worker = worker;
		this.routes = routes;
	}

	@Override
	public void online(String user, Runnable announce) {
		this.worker.execute(() -> {
			long count;
			try {
				count = this.shares.add(this.node, "users", user, "online", user);
				this.routes.here(user, this.node);
			}
			catch (DataAccessException ex) {
				logger.debug(
						"Cluster store away: " + user + " announced online from this node alone: " + ex.getMessage());
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
				left = this.shares.remove(this.node, "users", user, "online", user);
				this.routes.gone(user, this.node);
			}
			catch (DataAccessException ex) {
				logger.debug(
						"Cluster store away: " + user + " announced offline from this node alone: " + ex.getMessage());
				left = 0;
			}
			if (left <= 0) {
				announce.run();
			}
		});
	}

	@Override
	public List<String> online() {
		List<String> users = new ArrayList<>(this.shares.counts("online").keySet());
		users.sort(null);
		return users;
	}

}
