package dev.parley.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates HTTP requests from their {@code Authorization: Bearer} header and, on the
 * WebSocket endpoint only, from an {@code access_token} or {@code token} query parameter,
 * since browsers and SockJS cannot set headers on a handshake. A present but bad token is
 * answered with 401 at once rather than treated as anonymous.
 * <p>
 * The handshake is authenticated here rather than in a {@code HandshakeInterceptor}
 * because SockJS's HTTP transports (xhr-streaming and the like) take the session's user
 * from the HTTP request and match every later request of the session against it; without
 * a user, Spring matches on the client's address and port instead, which a browser's
 * separate send and receive connections never share.
 */
class BearerTokenFilter extends OncePerRequestFilter {

	private static final String BEARER = "Bearer ";

	private final JwtVerifier verifier;

	private final AuthenticationEntryPoint entryPoint;

	private final String endpoint;

	BearerTokenFilter(JwtVerifier verifier, AuthenticationEntryPoint entryPoint, String endpoint) {
		this.verifier = verifier;
		this.entryPoint = entryPoint;
		this.endpoint = endpoint;
	}

	private final SecurityContextRepository contexts = new RequestAttributeSecurityContextRepository();

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String token = token(request);
		if (token == null) {
			chain.doFilter(request, response);
			return;
		}
		try {
			var context = SecurityContextHolder.createEmptyContext();
			context.setAuthentication(this.verifier.verify(token));
			SecurityContextHolder.setContext(context);
			// Kept on the request too, as Spring Security's own bearer token filter does:
			// an asynchronous answer (a room post waiting for its commit) is dispatched
			// again, and finds its authentication there, without the token being checked
			// a second time.
			this.contexts.saveContext(context, request, response);
		}
		catch (InvalidTokenException ex) {
			SecurityContextHolder.clearContext();
			this.entryPoint.commence(request, response, ex);
			return;
		}
		chain.doFilter(request, response);
	}

	private @Nullable String token(HttpServletRequest request) {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return header.substring(BEARER.length()).trim();
		}
		if (isWebSocketEndpoint(request)) {
			String token = request.getParameter("access_token");
			return (token != null) ? token : request.getParameter("token");
		}
		return null;
	}

	private boolean isWebSocketEndpoint(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		return path.equals(this.endpoint) || path.startsWith(this.endpoint + "/");
	}

}
