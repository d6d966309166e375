package dev.parley.security;

import java.io.IOException;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, with a 403 problem and no log line, any request whose {@code Origin} header is
 * not an origin at all ({@code scheme://host[:port]}, or {@code null}). Spring's origin
 * and CORS checks parse the header as a URI and fail with a 500 and a stack trace per
 * request on look-alikes such as {@code http://127.0.0.1:8080.evil.example}, whose "port"
 * is not a number: an easy log flood. A browser never sends such a header, so nothing
 * real is refused.
 */
class MalformedOriginFilter extends OncePerRequestFilter {

	/**
	 * RFC 6454's serialized origin: a scheme, a host (a name, IPv4, or bracketed IPv6)
	 * and an optional port.
	 */
	private static final Pattern ORIGIN = Pattern
		.compile("[A-Za-z][A-Za-z0-9+.-]*://(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._~%!$&'()*+,;=-]+)(:[0-9]{1,5})?");

	private final ProblemResponses problems;

	MalformedOriginFilter(ProblemResponses problems) {
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String origin = request.getHeader(HttpHeaders.ORIGIN);
		if (origin != null && !isOrigin(origin)) {
			this.problems.write(response, HttpStatus.FORBIDDEN, "Malformed Origin header");
			return;
		}
		chain.doFilter(request, response);
	}

	static boolean isOrigin(String origin) {
		if (origin.equals("null")) {
			return true;
		}
		if (!ORIGIN.matcher(origin).matches()) {
			return false;
		}
		int colon = origin.lastIndexOf(':');
		if (colon > origin.indexOf("://") && !origin.endsWith("]")) {
			String port = origin.substring(colon + 1);
			return !port.isEmpty() && Integer.parseInt(port) <= 65535;
		}
		return true;
	}

}
