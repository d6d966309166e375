package dev.parley.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;

/**
 * Mints tokens the way a client's identity provider would, with the test suite's secret.
 */
public final class TestTokens {

	public static final String SECRET = "test-only-secret-0123456789-abcdefghijklmnopqrstuvwxyz";

	public static final SecretKey KEY = new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256");

	private TestTokens() {
	}

	public static String valid(String username) {
		return builder(username).compact();
	}

	public static String withRoles(String username, String... roles) {
		return builder(username).claim("roles", List.of(roles)).compact();
	}

	public static String expired(String username) {
		Instant past = Instant.now().minus(Duration.ofHours(1));
		return Jwts.builder()
			.subject(username)
			.issuedAt(Date.from(past.minusSeconds(60)))
			.expiration(Date.from(past))
			.signWith(KEY, Jwts.SIG.HS256)
			.compact();
	}

	public static String signedWithWrongKey(String username) {
		SecretKey other = new SecretKeySpec(
				"another-secret-that-is-long-enough-for-hs256!!".getBytes(StandardCharsets.UTF_8), "HmacSHA256");
		return Jwts.builder()
			.subject(username)
			.expiration(Date.from(Instant.now().plusSeconds(600)))
			.signWith(other, Jwts.SIG.HS256)
			.compact();
	}

	public static JwtBuilder builder(String username) {
		return Jwts.builder()
			.subject(username)
			.issuedAt(new Date())
			.expiration(Date.from(Instant.now().plus(Duration.ofMinutes(10))))
			.signWith(KEY, Jwts.SIG.HS256);
	}

}
