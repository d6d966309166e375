package dev.parley.security;

import java.security.Principal;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.stereotype.Component;

import dev.parley.replies.ClientErrors;

/**
 * Authenticates the STOMP {@code CONNECT} frame, ahead of Spring Security's interceptors:
 * from its {@code Authorization: Bearer} header, else as the user the handshake was
 * authenticated as. Without either, the client gets an {@code ERROR} frame saying why,
 * the frame goes no further and the socket is closed. The message has no colon: a client
 * that never reached {@code CONNECTED} has not negotiated STOMP 1.2's header escaping and
 * would show a colon as {@code \c}.
 */
@Component
class StompAuthenticationInterceptor implements ChannelInterceptor {

	private static final String BEARER = "Bearer ";

	/** Set in the session's attributes once its {@code CONNECT} is accepted. */
	static final String CONNECTED_ATTRIBUTE = StompAuthenticationInterceptor.class.getName() + ".connected";

	private final JwtVerifier verifier;

	private final ClientErrors errors;

	private final AuthenticatedSessions sessions;

	StompAuthenticationInterceptor(JwtVerifier verifier, ClientErrors errors, AuthenticatedSessions sessions) {
		this.verifier = verifier;
		this.errors = errors;
		this.sessions = sessions;
	}

	@Override
	public @Nullable Message<?> preSend(Message<?> message, MessageChannel channel) {
		StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		// CONNECT and STOMP (STOMP 1.2's name for it) alike.
		if (accessor == null || accessor.getMessageType() != SimpMessageType.CONNECT) {
			return message;
		}
		String sessionId = accessor.getSessionId();
		if (sessionId == null) {
			return null;
		}
		JwtAuthentication user;
		try {
			user = authenticate(accessor);
		}
		catch (InvalidTokenException ex) {
			this.errors.closeWithError(sessionId, "Unauthorized - " + ex.getMessage(), accessor.getReceipt());
			return null;
		}
		if (!this.sessions.accept(sessionId, user)) {
			this.errors.closeWithError(sessionId, "Too many sessions - close another one of this user first",
					accessor.getReceipt());
			return null;
		}
		accessor.setUser(user);
		Map<String, Object> attributes = accessor.getSessionAttributes();
		if (attributes != null) {
			attributes.put(CONNECTED_ATTRIBUTE, Boolean.TRUE);
		}
		return message;
	}

	private JwtAuthentication authenticate(StompHeaderAccessor accessor) {
		String header = accessor.getFirstNativeHeader("Authorization");
		Map<String, Object> attributes = accessor.getSessionAttributes();
		if (header == null) {
			return fromHandshake(accessor.getUser(), attributes);
		}
		if (attributes != null && attributes.containsKey(SockJsTransports.UNBOUND_HTTP_SESSION)) {
			// Its later requests could come from anyone who knows its path: see
			// SockJsTransports.
			throw new InvalidTokenException("over SockJS HTTP transports send the token on the URL "
					+ "(access_token query parameter), not in CONNECT");
		}
		if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			throw new InvalidTokenException("Authorization header must be 'Bearer <token>'");
		}
		JwtAuthentication user = this.verifier.verify(header.substring(BEARER.length()).trim());
		Principal handshakeUser = accessor.getUser();
		if (handshakeUser != null && !handshakeUser.getName().equals(user.getName())) {
			throw new InvalidTokenException("the CONNECT token is for another user than the handshake's token");
		}
		return user;
	}

	/**
	 * The user the handshake was authenticated as, from its query token (see
	 * {@link BearerTokenFilter}).
	 */
	private static JwtAuthentication fromHandshake(@Nullable Principal handshakeUser,
			@Nullable Map<String, Object> attributes) {
		if (handshakeUser instanceof JwtAuthentication authentication) {
			return authentication;
		}
		if (attributes != null && attributes.containsKey(SockJsTransports.UNBOUND_HTTP_SESSION)) {
			throw new InvalidTokenException("Missing access token, over SockJS HTTP transports send it on the URL "
					+ "(access_token query parameter)");
		}
		throw new InvalidTokenException(
				"Missing access token, send the header Authorization with Bearer <token> on CONNECT");
	}

}
