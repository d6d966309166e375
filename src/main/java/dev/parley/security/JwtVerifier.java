package dev.parley.security;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.IncorrectClaimException;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.JwtParserBuilder;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.MalformedJwtException;
import io.jsonwebtoken.MissingClaimException;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.UnsupportedJwtException;
import io.jsonwebtoken.security.SecurityException;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

import dev.parley.protocol.Protocol;

/**
 * Verifies access tokens and turns them into an {@link JwtAuthentication}. Each accepted
 * algorithm is bound to its own key: HS256 to Parley's secret, and RS256 or ES256 to an
 * identity provider's public key when one is configured; any other algorithm,
 * {@code none} included, is refused before a key is chosen, so a token cannot pick how it
 * is checked. The signature and {@code exp} are required; {@code nbf}, {@code iss} and
 * {@code aud} are checked.
 */
@Component
public class JwtVerifier {

	static final String HMAC_ALGORITHM = "HS256";

	/** The sender name of system messages; no token may claim it. */
	static final String RESERVED_NAME = Protocol.SYSTEM_SENDER;

	/** What a token's subject may be: a user name as the protocol defines it. */
	static final Pattern USERNAME = Pattern.compile(Protocol.USER_NAME);

	/** Far above any real token; bounds the work spent on garbage. */
	static final int MAX_TOKEN_LENGTH = 8192;

	private final JwtParser parser;

	JwtVerifier(JwtProperties properties) {
		SecretKey hmacKey = SigningKeys.hmacKey(properties);
		PublicKeys.AlgorithmKey publicKey = PublicKeys.configured(properties);
		JwtParserBuilder builder = Jwts.parser().keyLocator((header) -> {
			String algorithm = header.getAlgorithm();
			if (HMAC_ALGORITHM.equals(algorithm)) {
				return hmacKey;
			}
			if (publicKey != null && publicKey.algorithm().equals(algorithm)) {
				return publicKey.key();
			}
			throw new InvalidTokenException("Access token algorithm not accepted");
		}).clockSkewSeconds(properties.clockSkew().toSeconds());
		if (properties.issuer() != null) {
			builder.requireIssuer(properties.issuer());
		}
		if (properties.audience() != null) {
			builder.requireAudience(properties.audience());
		}
		this.parser = builder.build();
	}

	/**
	 * Verify a token.
	 * @param token the compact JWT, without a {@code Bearer } prefix
	 * @return the authenticated user
	 * @throws InvalidTokenException if the token is not acceptable; the message says why
	 */
	public JwtAuthentication verify(@Nullable String token) {
		if (token == null || token.isBlank()) {
			throw new InvalidTokenException("Missing access token");
		}
		if (token.length() > MAX_TOKEN_LENGTH) {
			throw new InvalidTokenException("Access token too large");
		}
		Claims claims = parse(token).getPayload();
		if (claims.getExpiration() == null) {
			throw new InvalidTokenException("Access token has no expiry (exp)");
		}
		String subject = claims.getSubject();
		if (subject == null || !USERNAME.matcher(subject).matches() || RESERVED_NAME.equalsIgnoreCase(subject)) {
			throw new InvalidTokenException("Access token subject is not a valid username");
		}
		return new JwtAuthentication(subject, roles(claims.get("roles")), claims.getExpiration().toInstant());
	}

	private Jws<Claims> parse(String token) {
		try {
			return this.parser.parseSignedClaims(token);
		}
		catch (ExpiredJwtException ex) {
			throw new InvalidTokenException("Access token expired");
		}
		catch (PrematureJwtException ex) {
			throw new InvalidTokenException("Access token not valid yet (nbf)");
		}
		catch (MissingClaimException | IncorrectClaimException ex) {
			throw new InvalidTokenException("Access token issuer or audience not accepted");
		}
		catch (UnsupportedJwtException ex) {
			throw new InvalidTokenException("Access token must be a signed JWT");
		}
		catch (MalformedJwtException ex) {
			throw new InvalidTokenException("Malformed access token");
		}
		catch (SecurityException ex) {
			throw new InvalidTokenException("Access token signature not valid");
		}
		catch (JwtException | IllegalArgumentException ex) {
			throw new InvalidTokenException("Access token not valid");
		}
	}

	/**
	 * Unknown role names are ignored rather than trusted; no known role means
	 * {@code USER}.
	 */
	private static Set<Role> roles(@Nullable Object claim) {
		EnumSet<Role> roles = EnumSet.noneOf(Role.class);
		if (claim instanceof Collection<?> names) {
			for (Object name : names) {
				for (Role role : Role.values()) {
					if (role.name().equals(name)) {
						roles.add(role);
					}
				}
			}
		}
		if (roles.isEmpty()) {
			roles.add(Role.USER);
		}
		return roles;
	}

}
