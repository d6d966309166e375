package dev.parley.history;

import org.jspecify.annotations.Nullable;

/**
 * A message to store: the store gives it its id, timestamp and sequence number.
 */
public sealed interface Draft {

	String sender();

	@Nullable String clientMessageId();

	/** A room message. */
	record Room(String room, RoomMessage.Type type, String sender, String content, @Nullable String clientMessageId)
			implements Draft {
	}

	/** A private message. */
	record Direct(String sender, String recipient, String text, @Nullable String clientMessageId) implements Draft {
	}

}
