package dev.parley.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import javax.crypto.SecretKey;

import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;

import org.springframework.stereotype.Component;

/**
 * Issues Parley's own access tokens (HS256 with Parley's secret), for the accounts it
 * holds.
 */
@Component
public class TokenIssuer {

	private final SecretKey key;

	private final JwtProperties properties;

	private final Clock clock;

	TokenIssuer(JwtProperties properties, Clock clock) {
		this.key = SigningKeys.hmacKey(properties);
		this.properties = properties;
		this.clock = clock;
	}

	/** An issued token and how many seconds it is valid. */
	public record IssuedToken(String accessToken, long expiresIn) {
	}

	public IssuedToken issue(String username, Set<Role> roles) {
		Instant now = this.clock.instant();
		Duration lifetime = this.properties.tokenLifetime();
		JwtBuilder builder = Jwts.builder()
			.subject(username)
			.issuedAt(Date.from(now))
			.expiration(Date.from(now.plus(lifetime)))
			.claim("roles", roles.stream().map(Role::name).sorted().toList());
		if (this.properties.issuer() != null) {
			builder.issuer(this.properties.issuer());
		}
		if (this.properties.audience() != null) {
			builder.audience().add(this.properties.audience());
		}
		return new IssuedToken(builder.signWith(this.key, Jwts.SIG.HS256).compact(), lifetime.toSeconds());
	}

}
