package dev.parley.cluster;

/**
 * Which nodes a user has sessions on, kept for the routing of user destinations. In
 * {@code redis} mode the bridge reads it ({@link RedisShares#userRoutes()}); in
 * {@code relay} mode Spring's user registry broadcast routes them, and there is nothing
 * to keep ({@link #NONE}).
 */
interface UserRoutes {

	UserRoutes NONE = new UserRoutes() {

		@Override
		public void here(String user, String node) {
		}

		@Override
		public void gone(String user, String node) {
		}

	};

	/** The user has a session on the node. */
	void here(String user, String node);

	/** The user has no session on the node any more. */
	void gone(String user, String node);

}
