package dev.parley.history;

import org.jspecify.annotations.Nullable;

/**
 * A message to store: the store gives it its id, timestamp and sequence number.
 */
public sealed interface Draft {

	String sender();

	@Nullable String clientMessageId();

	/**
	 * Whether a stored message is this draft sent before: same destination and text. A
	 * client that resends after a lost receipt sends exactly that; the same
	 * {@code clientMessageId} on anything else is a client reusing ids.
	 */
	boolean isResendOf(Object stored);

	/** A room message. */
	record Room(String room, RoomMessage.Type type, String sender, String content,
			@Nullable String clientMessageId) implements Draft {

		@Override
		public boolean isResendOf(Object stored) {
			return stored instanceof RoomMessage message && message.room().equals(this.room)
					&& message.type() == this.type && message.content().equals(this.content);
		}

	}

	/** A private message. */
	record Direct(String sender, String recipient, String text, @Nullable String clientMessageId) implements Draft {

		@Override
		public boolean isResendOf(Object stored) {
			return stored instanceof DirectMessage message && message.recipient().equals(this.recipient)
					&& message.text().equals(this.text);
		}

	}

}
