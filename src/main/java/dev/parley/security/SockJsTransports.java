package dev.parley.security;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

/**
 * Notes in a new session's attributes whether it is a SockJS session over one of SockJS's
 * HTTP transports, and whether its opening request carried a user (a token on the URL).
 * <p>
 * An HTTP-transport session is a path, {@code /ws/{server}/{session}}, that later
 * requests write to ({@code xhr_send}) and read from ({@code xhr},
 * {@code xhr_streaming}...). Spring binds those requests to the session's HTTP user when
 * it has one; without one it only compares the client's IP address, which anyone behind
 * the same proxy or NAT shares. So such a session must be opened with the token on the
 * URL: a token sent only in the {@code CONNECT} frame would authenticate a path that
 * anybody who learns it could use. See {@link StompAuthenticationInterceptor}.
 */
@Component
class SockJsTransports implements HandshakeInterceptor {

	/**
	 * Set to {@code Boolean.TRUE} on sessions opened by a SockJS HTTP transport without a
	 * user.
	 */
	static final String UNBOUND_HTTP_SESSION = SockJsTransports.class.getName() + ".unbound";

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) {
		// Fails closed: whatever its path looks like, a session opened by a request that
		// is not a WebSocket upgrade is one of SockJS's HTTP transports.
		if (request.getPrincipal() == null && !"websocket".equalsIgnoreCase(request.getHeaders().getUpgrade())) {
			attributes.put(UNBOUND_HTTP_SESSION, Boolean.TRUE);
		}
		return true;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			@Nullable Exception exception) {
	}

}
