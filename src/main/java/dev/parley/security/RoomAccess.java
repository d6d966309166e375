package dev.parley.security;

/**
 * Who may enter a room, asked when a client subscribes to a room's topics. The room
 * module answers it; this module only enforces the answer, so that it needs to know
 * nothing else about rooms.
 */
public interface RoomAccess {

	/**
	 * Whether the user may enter the room (public rooms: anyone; private rooms: their
	 * members).
	 */
	boolean mayEnter(String room, String user);

}
