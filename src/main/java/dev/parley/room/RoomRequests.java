package dev.parley.room;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import dev.parley.limits.ChatText;
import dev.parley.protocol.Protocol;

/**
 * The bodies clients send to the room destinations.
 */
final class RoomRequests {

	private RoomRequests() {
	}

	/** {@code /app/chat.join}; {@code username}, when given, must be the principal's. */
	record Join(@NotNull @Pattern(regexp = Protocol.ROOM_NAME, message = Protocol.ROOM_NAME_MESSAGE) String room,
			@Nullable String username) {
	}

	/** {@code /app/chat.send}; {@code sender}, when given, must be the principal's. */
	record Send(@NotNull @Pattern(regexp = Protocol.ROOM_NAME, message = Protocol.ROOM_NAME_MESSAGE) String room,
			@ChatText String content, @Nullable String sender, @Nullable @Size(max = 128) String clientMessageId) {
	}

	/** {@code /app/chat.leave}. */
	record Leave(@NotNull @Pattern(regexp = Protocol.ROOM_NAME, message = Protocol.ROOM_NAME_MESSAGE) String room) {
	}

	/** {@code /app/chat.typing}. */
	record Typing(@NotNull @Pattern(regexp = Protocol.ROOM_NAME, message = Protocol.ROOM_NAME_MESSAGE) String room,
			@NotNull Boolean typing) {
	}

	/** What {@code /topic/chat/{room}/typing} carries. */
	record TypingIndicator(String user, boolean typing) {
	}

}
