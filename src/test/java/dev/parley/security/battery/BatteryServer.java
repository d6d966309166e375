package dev.parley.security.battery;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;

import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.parley.support.TestTokens;

/**
 * One server for the whole security battery, configured the way a careful operator would:
 * an issuer and audience to check, an identity provider's RSA key, an origin allow-list,
 * and limits small enough to hit in a test.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "parley.security.jwt.issuer=" + BatteryServer.ISSUER,
				"parley.security.jwt.audience=" + BatteryServer.AUDIENCE,
				"parley.websocket.allowed-origins=" + BatteryServer.ALLOWED_ORIGIN, "parley.limits.max-text-length=100",
				"parley.limits.send-rate=5", "parley.limits.send-burst=5", "parley.limits.send-violations=20",
				"parley.limits.max-subscriptions=8", "parley.limits.max-sessions-per-user=3",
				"parley.limits.connect-timeout=1s", "parley.limits.frame-rate=20", "parley.limits.frame-burst=40" })
abstract class BatteryServer {

	static final String ISSUER = "https://idp.example";

	static final String AUDIENCE = "parley";

	static final String ALLOWED_ORIGIN = "https://chat.example.com";

	static final KeyPair IDP_KEYS = rsa();

	static final KeyPair OTHER_KEYS = rsa();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void identityProviderKey(DynamicPropertyRegistry registry) {
		registry.add("parley.security.jwt.public-key", () -> pem(IDP_KEYS));
	}

	/** A valid token for this server: right key, issuer, audience and lifetime. */
	static String token(String user) {
		return claims(user).signWith(TestTokens.KEY, Jwts.SIG.HS256).compact();
	}

	static String token(String user, Duration lifetime) {
		return claims(user).expiration(Date.from(Instant.now().plus(lifetime)))
			.signWith(TestTokens.KEY, Jwts.SIG.HS256)
			.compact();
	}

	static JwtBuilder claims(String user) {
		return Jwts.builder()
			.subject(user)
			.issuer(ISSUER)
			.audience()
			.add(AUDIENCE)
			.and()
			.issuedAt(new Date())
			.expiration(Date.from(Instant.now().plus(Duration.ofMinutes(10))))
			.claim("roles", List.of("USER"));
	}

	static String signedBy(PrivateKey key, JwtBuilder claims) {
		return claims.signWith(key, Jwts.SIG.RS256).compact();
	}

	static SecretKeySpec hmac(String secret) {
		return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
	}

	static String pem(KeyPair keys) {
		return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
				+ "\n-----END PUBLIC KEY-----\n";
	}

	static String b64(String json) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

	private static KeyPair rsa() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return generator.generateKeyPair();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
