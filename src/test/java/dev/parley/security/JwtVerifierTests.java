package dev.parley.security;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
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
		String token = TestTokens.builder("alice")
			.notBefore(Date.from(Instant.now().plus(Duration.ofHours(1))))
			.compact();
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
		JwtVerifier strict = new JwtVerifier(new JwtProperties(TestTokens.SECRET, Path.of("unused"), null, null,
				"https://idp", "parley", Duration.ofSeconds(30), Duration.ofHours(1)));
		String good = TestTokens.builder("alice").issuer("https://idp").audience().add("parley").and().compact();
		assertThat(strict.verify(good).getName()).isEqualTo("alice");
		String wrongIssuer = TestTokens.builder("alice")
			.issuer("https://evil")
			.audience()
			.add("parley")
			.and()
			.compact();
		assertThatExceptionOfType(InvalidTokenException.class).isThrownBy(() -> strict.verify(wrongIssuer))
			.withMessageContaining("issuer or audience");
		String wrongAudience = TestTokens.builder("alice")
			.issuer("https://idp")
			.audience()
			.add("other")
			.and()
			.compact();
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
		assertThat(Base64.getUrlDecoder().decode(secret)).as("256 random bits").hasSize(32);

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

	@Test
	void rejectsTheReservedSystemName() {
		assertRejected(TestTokens.valid("SYSTEM"), "subject");
		assertRejected(TestTokens.valid("system"), "subject");
	}

	@Test
	void acceptsRs256AndEs256FromAConfiguredIdentityProviderKey() throws Exception {
		for (String type : new String[] { "RSA", "EC" }) {
			KeyPair pair = keyPair(type);
			JwtVerifier withIdp = new JwtVerifier(withPublicKey(pair.getPublic()));
			String token = Jwts.builder()
				.subject("idp-user")
				.expiration(Date.from(Instant.now().plusSeconds(600)))
				.signWith(pair.getPrivate(), type.equals("RSA") ? Jwts.SIG.RS256 : Jwts.SIG.ES256)
				.compact();
			assertThat(withIdp.verify(token).getName()).isEqualTo("idp-user");
			assertThat(withIdp.verify(TestTokens.valid("alice")).getName()).isEqualTo("alice");
		}
	}

	@Test
	void rejectsRs256WhenNoPublicKeyIsConfigured() throws Exception {
		KeyPair pair = keyPair("RSA");
		String token = Jwts.builder()
			.subject("idp-user")
			.expiration(Date.from(Instant.now().plusSeconds(600)))
			.signWith(pair.getPrivate(), Jwts.SIG.RS256)
			.compact();
		assertRejected(token, "algorithm not accepted");
	}

	@Test
	void rejectsHs256SignedWithThePublicKeyAsSecret() throws Exception {
		KeyPair pair = keyPair("RSA");
		JwtVerifier withIdp = new JwtVerifier(withPublicKey(pair.getPublic()));
		var confused = new SecretKeySpec(pem(pair.getPublic()).getBytes(StandardCharsets.UTF_8), "HmacSHA256");
		String token = Jwts.builder()
			.subject("admin")
			.expiration(Date.from(Instant.now().plusSeconds(600)))
			.signWith(confused, Jwts.SIG.HS256)
			.compact();
		assertThatExceptionOfType(InvalidTokenException.class).isThrownBy(() -> withIdp.verify(token))
			.withMessageContaining("signature");
	}

	@Test
	void rejectsEs256SignedByAnotherKey() throws Exception {
		JwtVerifier withIdp = new JwtVerifier(withPublicKey(keyPair("EC").getPublic()));
		String token = Jwts.builder()
			.subject("idp-user")
			.expiration(Date.from(Instant.now().plusSeconds(600)))
			.signWith(keyPair("EC").getPrivate(), Jwts.SIG.ES256)
			.compact();
		assertThatExceptionOfType(InvalidTokenException.class).isThrownBy(() -> withIdp.verify(token))
			.withMessageContaining("signature");
	}

	@Test
	void refusesToStartWithAWeakRsaKey() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(1024);
		assertThatIllegalStateException()
			.isThrownBy(() -> new JwtVerifier(withPublicKey(generator.generateKeyPair().getPublic())))
			.withMessageContaining("2048");
	}

	@Test
	void issuedTokensVerifyAndCarryRolesIssuerAudienceAndLifetime() {
		JwtProperties properties = new JwtProperties(TestTokens.SECRET, Path.of("unused"), null, null, "parley", "chat",
				Duration.ofSeconds(30), Duration.ofMinutes(15));
		TokenIssuer issuer = new TokenIssuer(properties, java.time.Clock.systemUTC());
		TokenIssuer.IssuedToken issued = issuer.issue("alice", java.util.EnumSet.of(Role.USER, Role.ADMIN));
		assertThat(issued.expiresIn()).isEqualTo(900);
		JwtAuthentication user = new JwtVerifier(properties).verify(issued.accessToken());
		assertThat(user.getName()).isEqualTo("alice");
		assertThat(user.roles()).containsExactlyInAnyOrder(Role.USER, Role.ADMIN);
		assertThat(user.expiresAt()).isBetween(Instant.now().plusSeconds(800), Instant.now().plusSeconds(901));
	}

	private static KeyPair keyPair(String type) throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance(type);
		if (type.equals("EC")) {
			generator.initialize(new ECGenParameterSpec("secp256r1"));
		}
		else {
			generator.initialize(2048);
		}
		return generator.generateKeyPair();
	}

	private static String pem(PublicKey key) {
		return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getEncoded())
				+ "\n-----END PUBLIC KEY-----\n";
	}

	private static JwtProperties withPublicKey(PublicKey key) {
		return new JwtProperties(TestTokens.SECRET, Path.of("unused"), pem(key), null, null, null,
				Duration.ofSeconds(30), Duration.ofHours(1));
	}

	private static JwtProperties properties(String secret, Path file) {
		return new JwtProperties(secret, file, null, null, null, null, Duration.ofSeconds(30), Duration.ofHours(1));
	}

	private static String b64(String json) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

}
