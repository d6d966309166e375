package dev.parley.security;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;


import javax.crypto.spec.SecretKeySpec;

import io.jsonwebtoken.Jwts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.parley.support.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class JwtVerifierTests {

	private final JwtVerifier verifier = new JwtVerifier(properties(TestTokens.SECRET, Path.of("unused")));

	@Test
	void acceptsValidTokenAndReadsSubjectRolesAndExpiry() {
		JwtAuthentication user = this.verifier.verify(TestTokens.withRoles("alice", "USER", "ADMIN"));
		assertThat(user.getName()).isEqualTo("alice");
		assertThat(user.roles()).containsExactlyInAnyOrder(Role.USER, Role.ADMIN);
		assertThat(user.getAuthorities()).extracting(Object::toString).contains("ROLE_ADMIN");
		assertThat(user.expiresAt()).isAfter(Instant.now());
	}

	@Test
	void absentRolesMeanUserAndUnknownRolesAreIgnored() {
		assertThat(this.verifier.verify(TestTokens.valid("alice")).roles()).containsExactly(Role.USER);
		assertThat(this.verifier.verify(TestTokens.withRoles("alice", "ROOT")).roles()).containsExactly(Role.USER);
	}

	@Test
	void rejectsExpiredToken() {
		assertRejected(TestTokens.expired("alice"), "expired");
	}

	@Test
	void rejectsWrongSignature() {
		assertRejected(TestTokens.signedWithWrongKey("alice"), "signature");
	}

	@Test
	void rejectsUnsignedToken() {
		String header = b64("{\"alg\":\"none\"}");
		String payload = b64("{\"sub\":\"alice\",\"exp\":" + (Instant.now().getEpochSecond() + 600) + "}");
		assertRejected(header + "." + payload + ".", "signed");
	}

	@Test
	void rejectsTokenWithoutExpiry() {
		String token = Jwts.builder().subject("alice").signWith(TestTokens.KEY, Jwts.SIG.HS256).compact();
		assertRejected(token, "exp");
	}

	@Test
	void rejectsTokenNotValidYet() {
		String token = TestTokens.builder("alice").notBefore(Date.from(Instant.now().plus(Duration.ofHours(1)))).compact();
		assertRejected(token, "nbf");
	}

	@Test
	void rejectsOtherHmacAlgorithmEvenWithTheRightSecret() {
		var key = new SecretKeySpec(TestTokens.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA384");
		String token = Jwts.builder()
			.subject("alice")
			.expiration(Date.from(Instant.now().plusSeconds(600)))
			.signWith(key, Jwts.SIG.HS384)
			.compact();
		assertThatExceptionOfType(InvalidTokenException.class).isThrownBy(() -> this.verifier.verify(token));
	}

	@Test
	void rejectsTamperedPayload() {
		String[] parts = TestTokens.valid("alice").split("\\.");
		String forged = b64("{\"sub\":\"admin\",\"exp\":" + (Instant.now().getEpochSecond() + 600) + "}");
		assertRejected(parts[0] + "." + forged + "." + parts[2], "signature");
	}

	@Test
	void rejectsMalformedEmptyAndOversizedTokens() {
		assertRejected("not-a-jwt", "Malformed");
		assertRejected("", "Missing");
		assertRejected(null, "Missing");
		assertRejected("a".repeat(JwtVerifier.MAX_TOKEN_LENGTH + 1), "too large");
	}

	@Test
	void rejectsSubjectThatIsNotAUsername() {
		assertRejected(TestTokens.valid("alice/../bob"), "subject");
	}

	@Test
	void checksIssuerAndAudienceWhenConfigured() {
		JwtVerifier strict = new JwtVerifier(new JwtProperties(TestTokens.SECRET, Path.of("unused"), "https://idp",
				"parley", Duration.ofSeconds(30)));
		String good = TestTokens.builder("alice").issuer("https://idp").audience().add("parley").and().compact();
		assertThat(strict.verify(good).getName()).isEqualTo("alice");
		String wrongIssuer = TestTokens.builder("alice").issuer("https://evil").audience().add("parley").and().compact();
		assertThatExceptionOfType(InvalidTokenException.class).isThrownBy(() -> strict.verify(wrongIssuer))
			.withMessageContaining("issuer or audience");
		String wrongAudience = TestTokens.builder("alice").issuer("https://idp").audience().add("other").and().compact();
		assertThatExceptionOfType(InvalidTokenException.class).isThrownBy(() -> strict.verify(wrongAudience));
	}

	@Test
	void refusesToStartWithShortSecret() {
		assertThatIllegalStateException().isThrownBy(() -> new JwtVerifier(properties("too-short", Path.of("unused"))))
			.withMessageContaining("at least 256 bits");
	}

	@Test
	void generatesOwnerOnlySecretOnFirstStartAndReusesIt(@TempDir Path dir) throws Exception {
		Path file = dir.resolve("data/jwt-secret");
		JwtVerifier first = new JwtVerifier(properties(null, file));
		assertThat(file).exists();
		assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
		String secret = Files.readString(file).trim();
		assertThat(secret.getBytes(StandardCharsets.UTF_8)).hasSizeGreaterThanOrEqualTo(32);

		var key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
		String token = Jwts.builder()
			.subject("alice")
			.expiration(Date.from(Instant.now().plusSeconds(60)))
			.signWith(key, Jwts.SIG.HS256)
			.compact();
		assertThat(first.verify(token).getName()).isEqualTo("alice");
		assertThat(new JwtVerifier(properties(null, file)).verify(token).getName()).isEqualTo("alice");
	}

	private void assertRejected(String token, String reason) {
		assertThatExceptionOfType(InvalidTokenException.class).isThrownBy(() -> this.verifier.verify(token))
			.withMessageContaining(reason)
			.satisfies((ex) -> {
				if (token != null && !token.isEmpty()) {
					assertThat(ex.getMessage()).doesNotContain(token);
				}
			});
	}

	private static JwtProperties properties(String secret, Path file) {
		return new JwtProperties(secret, file, null, null, Duration.ofSeconds(30));
	}

	private static String b64(String json) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}


}
