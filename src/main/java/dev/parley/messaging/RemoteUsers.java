package dev.parley.messaging;

/**
 * A user's sessions on other nodes, for {@link UserDelivery}: one node on its own has
 * none ({@link #NONE}); the cluster module sends there.
 */
public interface RemoteUsers {

	/** One node: nobody elsewhere. */
	RemoteUsers NONE = (user, destination, json) -> {
	};

	/**
	 * Delivers a message to the user's sessions on the other nodes.
	 * @param destination the user destination, {@code /user/<name>/queue/...}
	 * @param json the payload
	 */
	void deliver(String user, String destination, byte[] json);

}
