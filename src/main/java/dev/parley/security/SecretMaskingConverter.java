package dev.parley.security;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.pattern.CompositeConverter;

/**
 * Masks secrets in whole log lines, stack traces included ({@code %mask(...)} in
 * {@code logback-spring.xml}), so that Spring's DEBUG and TRACE messaging logs, which
 * print handshake URLs, STOMP headers and request bodies, never show a token or a
 * password:
 * <ul>
 * <li>the query string of any {@code /ws} URL, whole: it carries the handshake token and
 * nothing worth logging;</li>
 * <li>the value of any URL or form parameter whose name, once percent-decoded, is a
 * credential's ({@code access_token}, {@code token}, {@code password}...):
 * {@code access_toke%6E=} is still {@code access_token};</li>
 * <li>anything shaped like a JWT, found by decoding its first part to a JSON object
 * rather than by the {@code eyJ} it usually starts with;</li>
 * <li>{@code Bearer} credentials and JSON fields named like credentials.</li>
 * </ul>
 * Written by hand because logback's {@code %replace} matches text, not decoded parameters
 * or decoded JWT headers.
 */
public class SecretMaskingConverter extends CompositeConverter<ILoggingEvent> {

	static final String MASK = "****";

	/*
	 * Every pattern here runs in linear time on hostile input (a log line may hold a 64
	 * KiB frame an unauthenticated client sent): runs are matched possessively and only
	 * from their start.
	 */

	private static final Pattern PARAMETER = Pattern
		.compile("(?<=^|[?&;\\s\"'{,(\\[])([^=&?\\s\"'{},;()\\[\\]]{1,64}+)=([^&\\s\"'#,;)\\]}]*+)");

	private static final Set<String> SECRET_NAMES = Set.of("access_token", "token", "password", "passwd",
			"refresh_token", "id_token", "client_secret", "clientsecret", "secret", "authorization", "jwt", "passcode");

	private static final Pattern JWT_SHAPED = Pattern
		.compile("(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{8,}+\\.([A-Za-z0-9_-]{8,}+)\\.[A-Za-z0-9_-]*+");

	private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s++)[^\\s,;\"'\\]]++");

	private static final Pattern JSON_FIELD = Pattern.compile(
			"(?i)(\"(?:password|token|accessToken|access_token|clientSecret|client_secret|secret)\"\\s*+:\\s*+\")[^\"]*+");

	@Override
	protected String transform(ILoggingEvent event, String in) {
		return mask(in);
	}

	static String mask(String line) {
		String masked = maskWebSocketQueries(line);
		masked = BEARER.matcher(masked).replaceAll("$1" + MASK);
		masked = JSON_FIELD.matcher(masked).replaceAll("$1" + MASK);
		masked = PARAMETER.matcher(masked)
			.replaceAll((match) -> Matcher
				.quoteReplacement(isSecretName(match.group(1)) ? match.group(1) + "=" + MASK : match.group()));
		return JWT_SHAPED.matcher(masked)
			.replaceAll(
					(match) -> Matcher.quoteReplacement(isJwt(match.group(), match.group(1)) ? MASK : match.group()));
	}

	/**
	 * Replaces the query string of every {@code /ws} URL ({@code /ws?...},
	 * {@code /ws/000/abc/xhr?...}). A scan by hand rather than a pattern: a pattern tried
	 * at each {@code /ws} of {@code /ws/ws/ws...} would read the rest of the line from
	 * each one.
	 */
	private static String maskWebSocketQueries(String line) {
		int at = line.indexOf("/ws");
		if (at < 0) {
			return line;
		}
		StringBuilder out = new StringBuilder(line.length());
		int copied = 0;
		while (at >= 0) {
			int end = at + 3;
			if (end < line.length() && (line.charAt(end) == '?' || line.charAt(end) == '/')) {
				// To the end of this URL's path; any other /ws within it belongs to the
				// same URL.
				while (end < line.length() && line.charAt(end) != '?' && !endsUrl(line.charAt(end))) {
					end++;
				}
				if (end < line.length() && line.charAt(end) == '?') {
					int queryEnd = end + 1;
					while (queryEnd < line.length() && !endsUrl(line.charAt(queryEnd))
							&& line.charAt(queryEnd) != ']') {
						queryEnd++;
					}
					out.append(line, copied, end + 1).append(MASK);
					copied = queryEnd;
					end = queryEnd;
				}
			}
			at = line.indexOf("/ws", end);
		}
		return out.append(line, copied, line.length()).toString();
	}

	private static boolean endsUrl(char c) {
		return Character.isWhitespace(c) || c == '"' || c == '\'' || c == '<' || c == '>' || c == '#';
	}

	private static boolean isSecretName(String name) {
		String decoded;
		try {
			decoded = URLDecoder.decode(name, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			// A malformed escape: whatever it was meant to say, it is not logged.
			return true;
		}
		return SECRET_NAMES.contains(decoded.trim().toLowerCase(Locale.ROOT));
	}

	/**
	 * A JWT's parts are base64url-encoded JSON objects: its payload, which has a dot on
	 * either side, decodes to one whatever precedes the token (its header may have been
	 * matched with a prefix such as {@code x_}); its header does too, whatever its key
	 * order or spacing.
	 */
	private static boolean isJwt(String candidate, String payload) {
		return decodesToJsonObject(payload) || decodesToJsonObject(candidate.substring(0, candidate.indexOf('.')));
	}

	private static boolean decodesToJsonObject(String part) {
		try {
			byte[] decoded = Base64.getUrlDecoder().decode(part);
			return new String(decoded, StandardCharsets.UTF_8).stripLeading().startsWith("{");
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

}
