package dev.parley.messaging;

/**
 * The places a user's sessions take across every node, for
 * {@code parley.limits.max-sessions-per-user}. One node on its own counts its own
 * sessions ({@link #LOCAL}: {@link Connections} does); the cluster module backs it with a
 * shared store.
 */
public interface SessionSlots {

	/** One node: the sessions on this node are all there are. */
	SessionSlots LOCAL = new SessionSlots() {

		@Override
		public boolean acquire(String user, String sessionId, int max) {
			return true;
		}

		@Override
		public void release(String user, String sessionId) {
		}

	};

	/**
	 * Takes a place for a session of the user.
	 * @return false when the user already has {@code max} sessions on every node together
	 */
	boolean acquire(String user, String sessionId, int max);

	/** Gives the session's place back (once, whatever the number of calls). */
	void release(String user, String sessionId);

}
