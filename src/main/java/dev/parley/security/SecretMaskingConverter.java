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
 * Masks secrets in whole log lines, stack traces included ({@code %mask(...)} in {@code logback-spring.xml}), so
 * that Spring's DEBUG and TRACE messaging logs, which print handshake URLs, STOMP headers and request bodies, never
 * show a token or a password:
 * <ul>
 * <li>the query string of any {@code /ws} URL, whole: it carries the handshake token and nothing worth logging;</li>
 * <li>the value of any URL or form parameter whose name, once percent-decoded, is a credential's
 * ({@code access_token}, {@code token}, {@code password}...): {@code access_toke%6E=} is still {@code access_token};</li>
 * <li>anything shaped like a JWT, found by decoding its first part to a JSON object rather than by the
 * {@code eyJ} it usually starts with;</li>
 * <li>{@code Bearer} credentials and JSON fields named like credentials.</li>
 * </ul>
 * Written by hand because logback's {@code %replace} matches text, not decoded parameters or decoded JWT headers.
 */
public class SecretMaskingConverter extends CompositeConverter<ILoggingEvent> {

	static final String MASK = "****";

	private static final Pattern WS_QUERY = Pattern.compile("(/ws(?:/[^\\s?#\"'<>]*)?)\\?[^\\s\"'<>#\\]]*");

	private static final Pattern PARAMETER = Pattern.compile("(?<=^|[?&;\\s\"'{,(\\[])([^=&?\\s\"'{},;()\\[\\]]{1,64})=([^&\\s\"'#,;)\\]}]*)");

	private static final Set<String> SECRET_NAMES = Set.of("access_token", "token", "password", "passwd",
			"refresh_token", "id_token", "client_secret", "clientsecret", "secret", "authorization", "jwt", "passcode");

	private static final Pattern JWT_SHAPED = Pattern
		.compile("[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*");

	private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[^\\s,;\"'\\]]+");

	private static final Pattern JSON_FIELD = Pattern.compile(
			"(?i)(\"(?:password|token|accessToken|access_token|clientSecret|client_secret|secret)\"\\s*:\\s*\")[^\"]*");

	@Override
	protected String transform(ILoggingEvent event, String in) {
		return mask(in);
	}

	static String mask(String line) {
		String masked = WS_QUERY.matcher(line)
			.replaceAll((match) -> Matcher.quoteReplacement(match.group(1)) + "?" + MASK);
		masked = BEARER.matcher(masked).replaceAll("$1" + MASK);
		masked = JSON_FIELD.matcher(masked).replaceAll("$1" + MASK);
		masked = PARAMETER.matcher(masked)
			.replaceAll((match) -> Matcher.quoteReplacement(
					isSecretName(match.group(1)) ? match.group(1) + "=" + MASK : match.group()));
		return JWT_SHAPED.matcher(masked)
			.replaceAll((match) -> Matcher.quoteReplacement(isJwt(match.group()) ? MASK : match.group()));
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

	/** A JWT's first part is a base64url-encoded JSON object, whatever its key order or spacing. */
	private static boolean isJwt(String candidate) {
		String header = candidate.substring(0, candidate.indexOf('.'));
		try {
			byte[] decoded = Base64.getUrlDecoder().decode(header);
			String text = new String(decoded, StandardCharsets.UTF_8).stripLeading();
			return text.startsWith("{");
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

}
