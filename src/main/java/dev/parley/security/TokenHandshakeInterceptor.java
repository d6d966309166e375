package dev.parley.security;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Authenticates a handshake that carries its token on the URL ({@code access_token} or {@code token}), for browsers
 * and SockJS, which cannot set headers on it. A bad token gets HTTP 401; no token is left to the {@code CONNECT}
 * frame. The result is kept in the session attributes, where {@link StompAuthenticationInterceptor} finds it for
 * every transport, SockJS's HTTP ones included.
 */
@Component
class TokenHandshakeInterceptor implements HandshakeInterceptor {

	static final String AUTHENTICATION_ATTRIBUTE = TokenHandshakeInterceptor.class.getName() + ".authentication";

	private final JwtVerifier verifier;

	TokenHandshakeInterceptor(JwtVerifier verifier) {
		this.verifier = verifier;
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) {
		String token = queryToken(request);
		if (token == null) {
			return true;
		}
		try {
			attributes.put(AUTHENTICATION_ATTRIBUTE, this.verifier.verify(token));
			return true;
		}
		catch (InvalidTokenException ex) {
			response.setStatusCode(HttpStatus.UNAUTHORIZED);
			return false;
		}
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			@Nullable Exception exception) {
	}

	static @Nullable String queryToken(ServerHttpRequest request) {
		var params = UriComponentsBuilder.fromUri(request.getURI()).build().getQueryParams();
		String token = params.getFirst("access_token");
		return (token != null) ? token : params.getFirst("token");
	}

}
