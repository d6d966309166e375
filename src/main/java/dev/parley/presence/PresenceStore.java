package dev.parley.presence;

import java.util.List;
import java.util.function.Supplier;

/**
 * Who is online across every node. A user is online while any node has a session of the
 * user; the first node's first session and the last node's last session are announced.
 * One node on its own is the whole cluster ({@link #local}); the cluster module backs it
 * with a shared store.
 */
public interface PresenceStore {

	/**
	 * The user's first session on this node opened: runs {@code announce} if no other
	 * node had the user online. Calls for one user are handled in the order made.
	 */
	void online(String user, Runnable announce);

	/**
	 * The user's last session on this node closed: runs {@code announce} if no other node
	 * has the user online.
	 */
	void offline(String user, Runnable announce);

	/**
	 * Published by a shared store when the last node that had the user online is gone (a
	 * node stopped or died, and the cluster declared it dead).
	 */
	record OfflineElsewhere(String user) {
	}

	/** Who is online on every node. */
	List<String> online();

	/** One node: what this node knows is all there is. */
	static PresenceStore local(Supplier<List<String>> onlineHere) {
		return new PresenceStore() {

			@Override
			public void online(String user, Runnable announce) {
				announce.run();
			}

			@Override
			public void offline(String user, Runnable announce) {
				announce.run();
			}

			@Override
			public List<String> online() {
				return onlineHere.get();
			}

		};
	}

}
