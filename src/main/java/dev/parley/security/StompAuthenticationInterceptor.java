package dev.parley.security;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

/**
 * Authenticates the STOMP {@code CONNECT} frame, before Spring Security's interceptors see it: from its
 * {@code Authorization: Bearer} header, else from the token given on the handshake URL. Without either, the frame
 * is refused, the client gets an {@code ERROR} frame saying why and the socket is closed.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 99)
class StompAuthenticationInterceptor implements ChannelInterceptor, WebSocketMessageBrokerConfigurer {

	private static final String BEARER = "Bearer ";

	private final JwtVerifier verifier;

	StompAuthenticationInterceptor(JwtVerifier verifier) {
		this.verifier = verifier;
	}

	@Override
	public void configureClientInboundChannel(ChannelRegistration registration) {
		registration.interceptors(this);
	}

	@Override
	public Message<?> preSend(Message<?> message, MessageChannel channel) {
		StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (accessor == null || accessor.getCommand() != StompCommand.CONNECT) {
			return message;
		}
		String header = accessor.getFirstNativeHeader("Authorization");
		JwtAuthentication authentication;
		if (header != null) {
			if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
				throw new InvalidTokenException("Authorization header must be 'Bearer <token>'");
			}
			authentication = this.verifier.verify(header.substring(BEARER.length()).trim());
		}
		else {
			authentication = fromHandshake(accessor.getSessionAttributes());
		}
		accessor.setUser(authentication);
		return message;
	}

	private static JwtAuthentication fromHandshake(@Nullable Map<String, Object> sessionAttributes) {
		Object found = (sessionAttributes != null)
				? sessionAttributes.get(TokenHandshakeInterceptor.AUTHENTICATION_ATTRIBUTE) : null;
		if (found instanceof JwtAuthentication authentication) {
			return authentication;
		}
		throw new InvalidTokenException("Missing access token: send 'Authorization: Bearer <token>' on CONNECT");
	}

}
