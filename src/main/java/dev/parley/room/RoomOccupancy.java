package dev.parley.room;

import java.util.List;

/**
 * Who is in each room across every node. This node knows its own sessions; a user is in a
 * room while any node has a session of the user in it. JOIN and LEAVE are announced once
 * per user, when the first node takes the user in and when the last one lets go. One node
 * on its own is the whole cluster ({@link #LOCAL}); the cluster module backs it with a
 * shared store.
 */
public interface RoomOccupancy {

	/**
	 * Published by a shared store when the last node that had the user in the room is
	 * gone (it stopped or died, and the cluster declared it dead): a LEAVE is due.
	 */
	record Vacated(String room, String user) {
	}

	/** One node: what this node knows is all there is. */
	RoomOccupancy LOCAL = new RoomOccupancy() {

		@Override
		public boolean arrived(String room, String user) {
			return true;
		}

		@Override
		public boolean left(String room, String user) {
			return true;
		}

		@Override
		public List<String> users(String room, List<String> here) {
			return here;
		}

		@Override
		public boolean isShared() {
			return false;
		}

	};

	/**
	 * This node took the user into the room (its first session there).
	 * @return whether the user is new to the room on every node (a JOIN is announced)
	 */
	boolean arrived(String room, String user);

	/**
	 * This node let the user go (its last session there left).
	 * @return whether no node has the user in the room any more (a LEAVE is announced)
	 */
	boolean left(String room, String user);

	/** The room's users on every node, given those on this node. */
	List<String> users(String room, List<String> here);

	/**
	 * Whether other nodes share the room lists: a restart is then covered by the other
	 * nodes (this node's users stay in their rooms until it is declared gone), not by the
	 * database.
	 */
	boolean isShared();

}
