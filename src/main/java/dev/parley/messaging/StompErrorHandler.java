package dev.parley.messaging;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.socket.messaging.StompSubProtocolErrorHandler;

/**
 * Turns a frame the server refuses outright (no or bad token, a destination the client may not use) into an
 * {@code ERROR} frame whose {@code message} header says why, without internal detail. Spring closes the socket
 * after it.
 */
class StompErrorHandler extends StompSubProtocolErrorHandler {

	@Override
	public @Nullable Message<byte[]> handleClientMessageProcessingError(@Nullable Message<byte[]> clientMessage,
			Throwable ex) {
		StompHeaderAccessor accessor = StompHeaderAccessor.create(StompCommand.ERROR);
		accessor.setMessage(describe(ex));
		accessor.setLeaveMutable(true);
		return handleInternal(accessor, new byte[0], ex,
				(clientMessage != null) ? StompHeaderAccessor.wrap(clientMessage) : null);
	}

	static String describe(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof AuthenticationException) {
				return "Unauthorized: " + cause.getMessage();
			}
			if (cause instanceof AccessDeniedException) {
				return "Forbidden: this destination is not allowed";
			}
		}
		return "Bad request: the frame could not be processed";
	}

}
