package dev.parley.replies;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.web.socket.messaging.StompSubProtocolErrorHandler;

/**
 * Answers a frame that could not even be decoded or handed to the application with an
 * {@code ERROR} frame whose {@code message} header says so without internal detail;
 * Spring closes the socket after it. Refusals decided by the application itself go
 * through {@link ClientErrors}.
 */
public class StompErrorHandler extends StompSubProtocolErrorHandler {

	@Override
	public @Nullable Message<byte[]> handleClientMessageProcessingError(@Nullable Message<byte[]> clientMessage,
			Throwable ex) {
		StompHeaderAccessor client = (clientMessage != null) ? StompHeaderAccessor.wrap(clientMessage) : null;
		StompHeaderAccessor accessor = StompHeaderAccessor.create(StompCommand.ERROR);
		accessor.setMessage(isBeforeConnect(client) ? "Forbidden - authenticate with CONNECT first"
				: "Bad request: the frame could not be processed");
		accessor.setLeaveMutable(true);
		return handleInternal(accessor, new byte[0], ex, client);
	}

	/** Spring refuses any frame of a session that has not sent {@code CONNECT}. */
	private static boolean isBeforeConnect(@Nullable StompHeaderAccessor client) {
		return client != null && client.getCommand() != null && client.getCommand() != StompCommand.CONNECT
				&& client.getCommand() != StompCommand.STOMP && client.getUser() == null;
	}

}
