package dev.parley.security;

import java.security.Principal;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.stereotype.Component;

import dev.parley.messaging.ClientErrors;

/**
 * Authenticates the STOMP {@code CONNECT} frame, ahead of Spring Security's interceptors: from its
 * {@code Authorization: Bearer} header, else as the user the handshake was authenticated as. Without either, the
 * client gets an {@code ERROR} frame saying why, the frame goes no further and the socket is closed. The message
 * has no colon: a client that never reached {@code CONNECTED} has not negotiated STOMP 1.2's header escaping and
 * would show a colon as {@code \c}.
 */
@Component
class StompAuthenticationInterceptor implements ChannelInterceptor {

	private static final String BEARER = "Bearer ";

	private final JwtVerifier verifier;

	private final ClientErrors errors;

	StompAuthenticationInterceptor(JwtVerifier verifier, ClientErrors errors) {
		this.verifier = verifier;
		this.errors = errors;
	}

	@Override
	public @Nullable Message<?> preSend(Message<?> message, MessageChannel channel) {
		StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (accessor == null || accessor.getCommand() != StompCommand.CONNECT) {
			return message;
		}
		try {
			accessor.setUser(authenticate(accessor));
			return message;
		}
		catch (InvalidTokenException ex) {
			String sessionId = accessor.getSessionId();
			if (sessionId != null) {
				this.errors.closeWithError(sessionId, "Unauthorized - " + ex.getMessage(), accessor.getReceipt());
			}
			return null;
		}
	}

	private JwtAuthentication authenticate(StompHeaderAccessor accessor) {
		String header = accessor.getFirstNativeHeader("Authorization");
		if (header == null) {
			return fromHandshake(accessor.getUser());
		}
		if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			throw new InvalidTokenException("Authorization header must be 'Bearer <token>'");
		}
		return this.verifier.verify(header.substring(BEARER.length()).trim());
	}

	/** The user the handshake was authenticated as, from its query token (see {@link BearerTokenFilter}). */
	private static JwtAuthentication fromHandshake(@Nullable Principal handshakeUser) {
		if (handshakeUser instanceof JwtAuthentication authentication) {
			return authentication;
		}
		throw new InvalidTokenException(
				"Missing access token, send the header Authorization with Bearer <token> on CONNECT");
	}

}
