package dev.parley.history;

import java.time.Instant;

/**
 * A stored message of a room, as {@code /topic/chat/{room}} carries it.
 *
 * @param seq counts up by one per message of the room, with no gaps
 */
public record RoomMessage(String id, String sender, String content, String room, Instant timestamp, Type type,
		long seq) {

	/** What a room message is. */
	public enum Type {

		CHAT, JOIN, LEAVE, SERVICE

	}

}
