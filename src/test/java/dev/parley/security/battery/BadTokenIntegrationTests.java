package dev.parley.security.battery;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.jsonwebtoken.Jwts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.web.socket.CloseStatus;

import dev.parley.support.RawStompClient;
import dev.parley.support.TestHttp;
import dev.parley.support.TestTokens;
import dev.parley.support.Transport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of bad token, on {@code CONNECT} (an {@code ERROR} frame saying why, then a
 * closed socket) and on the handshake URL (HTTP 401), and on the REST API (a 401
 * problem).
 */
class BadTokenIntegrationTests extends BatteryServer {

	static Stream<Arguments> badTokens() {
		return Stream.of(
				bad("alg none", "signed JWT",
						() -> b64("{\"alg\":\"none\"}") + "."
								+ b64("{\"sub\":\"alice\",\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE
										+ "\",\"exp\":" + (now() + 600) + "}")
								+ "."),
				bad("alg none with a signature", "signed JWT",
						() -> b64("{\"alg\":\"none\"}") + "." + b64("{\"sub\":\"alice\",\"exp\":" + (now() + 600) + "}")
								+ ".c2lnbmF0dXJl"),
				bad("wrong secret", "signature",
						() -> claims("alice").signWith(hmac("a-different-secret-that-is-long-enough!!"), Jwts.SIG.HS256)
							.compact()),
				bad("HS256 signed with the RSA public key as secret", "signature",
						() -> claims("alice").signWith(hmac(pem(IDP_KEYS)), Jwts.SIG.HS256).compact()),
				bad("RS256 from another key", "signature", () -> signedBy(OTHER_KEYS.getPrivate(), claims("alice"))),
				bad("HS384 with the right secret", "algorithm",
						() -> claims("alice").signWith(TestTokens.KEY, Jwts.SIG.HS384).compact()),
				bad("tampered payload", "signature", () -> {
					String[] parts = token("alice").split("\\.");
					return parts[0] + "." + b64("{\"sub\":\"admin\",\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE
							+ "\",\"exp\":" + (now() + 600) + ",\"roles\":[\"ADMIN\"]}") + "." + parts[2];
				}), bad("signature stripped", "Malformed", () -> {
					String token = token("alice");
					return token.substring(0, token.lastIndexOf('.') + 1);
				}), bad("expired", "expired", () -> token("alice", Duration.ofMinutes(-5))),
				bad("not valid yet", "nbf",
						() -> claims("alice").notBefore(Date.from(Instant.now().plus(Duration.ofHours(1))))
							.signWith(TestTokens.KEY, Jwts.SIG.HS256)
							.compact()),
				bad("wrong issuer", "issuer",
						() -> claims("alice").issuer("https://evil.example")
							.signWith(TestTokens.KEY, Jwts.SIG.HS256)
							.compact()),
				bad("wrong audience", "audience",
						() -> Jwts.builder()
							.subject("alice")
							.issuer(ISSUER)
							.audience()
							.add("another-app")
							.and()
							.expiration(Date.from(Instant.now().plusSeconds(600)))
							.signWith(TestTokens.KEY, Jwts.SIG.HS256)
							.compact()),
				bad("no issuer or audience", "issuer", () -> TestTokens.valid("alice")),
				bad("no expiry", "exp",
						() -> Jwts.builder()
							.subject("alice")
							.issuer(ISSUER)
							.audience()
							.add(AUDIENCE)
							.and()
							.signWith(TestTokens.KEY, Jwts.SIG.HS256)
							.compact()),
				bad("malformed", "Malformed", () -> "this.is.not-a-jwt"),
				bad("two parts only", "Malformed", () -> b64("{\"alg\":\"HS256\"}") + "." + b64("{}")),
				bad("oversized", "too large", () -> "x".repeat(8200)),
				bad("subject SYSTEM", "subject", () -> token("SYSTEM")),
				bad("subject with a slash", "subject", () -> token("bob/queue")), bad("empty", "Missing", () -> ""));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badTokens")
	void onConnectAnErrorFrameSaysWhyAndTheSocketCloses(String kind, String reason, Supplier<String> token)
			throws Exception {
		try (RawStompClient client = RawStompClient.open(Transport.WEBSOCKET, this.port, "")) {
			client.connect("Authorization:Bearer " + token.get());
			String frame = client.nextFrame();
			assertThat(frame).startsWith("ERROR\n").contains("message:Unauthorized - ").containsIgnoringCase(reason);
			assertThat(client.awaitClose(Duration.ofSeconds(5)).getCode())
				.isEqualTo(CloseStatus.PROTOCOL_ERROR.getCode());
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badTokens")
	void onTheHandshakeUrlTheAnswerIs401(String kind, String reason, Supplier<String> token) throws Exception {
		String value = token.get();
		if (value.isEmpty()) {
			return;
		}
		for (String path : new String[] { "/ws", "/ws/info", "/ws/123/abc/xhr_streaming" }) {
			HttpResponse<String> response = TestHttp.on(this.port)
				.get(path + "?access_token=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
			assertThat(response.statusCode()).as(path).isEqualTo(kind.equals("oversized") ? 414 : 401);
			assertThat(response.body()).doesNotContain(value);
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badTokens")
	void onTheRestApiTheAnswerIsA401Problem(String kind, String reason, Supplier<String> token) throws Exception {
		String value = token.get();
		HttpResponse<String> response = TestHttp.on(this.port).get("/api/presence", value);
		assertThat(response.statusCode()).isEqualTo(kind.equals("oversized") ? 431 : 401);
		if (response.statusCode() == 401) {
			assertThat(response.headers().firstValue("Content-Type"))
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		}
		if (!value.isEmpty()) {
			assertThat(response.body()).doesNotContain(value);
		}
	}

	@Test
	void validTokensOfBothKindsAreAccepted() throws Exception {
		for (String token : new String[] { token("alice"), signedBy(IDP_KEYS.getPrivate(), claims("idp-alice")) }) {
			try (RawStompClient client = RawStompClient.connected(Transport.WEBSOCKET, this.port, token)) {
				assertThat(client.isOpen()).isTrue();
			}
		}
	}

	private static Arguments bad(String kind, String reason, Supplier<String> token) {
		return Arguments.of(kind, reason, token);
	}

	private static long now() {
		return Instant.now().getEpochSecond();
	}

}
