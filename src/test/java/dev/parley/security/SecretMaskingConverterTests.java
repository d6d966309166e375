package dev.parley.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class SecretMaskingConverterTests {

	private static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXBhcnQtaGVyZQ";

	/**
	 * A JWT whose header does not start with {@code {"}, so its text does not start with
	 * {@code eyJ}.
	 */
	private static final String ODD_JWT = b64("\n{\"alg\":\"HS256\"}") + ".eyJzdWIiOiJhbGljZSJ9.b2RkLXNpZ25hdHVyZQ";

	@Test
	void theQueryStringOfAWebSocketUrlIsNeverLogged() {
		assertThat(SecretMaskingConverter.mask("GET /ws/000/abc/xhr_streaming?t=1&x=opaque-secret-value HTTP/1.1"))
			.isEqualTo("GET /ws/000/abc/xhr_streaming?**** HTTP/1.1");
		assertThat(SecretMaskingConverter.mask("Handshake for ws://127.0.0.1:8080/ws?whatever=123 headers"))
			.isEqualTo("Handshake for ws://127.0.0.1:8080/ws?**** headers");
	}

	@Test
	void credentialParametersAreMaskedByTheirDecodedName() {
		assertThat(SecretMaskingConverter.mask("GET /api/x?access_toke%6E=opaque123&room=general"))
			.isEqualTo("GET /api/x?access_toke%6E=****&room=general");
		assertThat(SecretMaskingConverter.mask("form: user=bob&PASS%77ORD=hunter2&token=abc"))
			.isEqualTo("form: user=bob&PASS%77ORD=****&token=****");
		assertThat(SecretMaskingConverter.mask("client_secret=s3cr3t")).isEqualTo("client_secret=****");
	}

	@Test
	void anythingShapedLikeAJwtIsMaskedWhateverItsFirstCharacters() {
		assertThat(ODD_JWT).doesNotStartWith("eyJ");
		assertThat(SecretMaskingConverter.mask("token " + ODD_JWT + " in a sentence"))
			.isEqualTo("token **** in a sentence");
		assertThat(SecretMaskingConverter.mask("headers={x=[" + JWT + "]}")).isEqualTo("headers={x=[****]}");
	}

	@Test
	void aJwtIsMaskedWhateverStandsRightBeforeIt() {
		for (String prefix : new String[] { "x_", "%22", "%3D", "abc-" }) {
			assertThat(SecretMaskingConverter.mask("value " + prefix + JWT + " end")).as(prefix)
				.doesNotContain("c2lnbmF0dXJl")
				.doesNotContain("eyJzdWIiOiJhbGljZSJ9");
		}
	}

	@Test
	void hostileLinesAreMaskedInLinearTime() {
		// A log line may hold a whole 64 KiB frame sent by an unauthenticated client.
		String[] hostile = { "a".repeat(200_000), "/ws".repeat(70_000), "a.".repeat(100_000),
				"x=" + "y".repeat(200_000), "aaaaaaaaa.".repeat(20_000) + "a",
				("bearer " + "z".repeat(100)).repeat(2000) };
		assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
			for (String line : hostile) {
				SecretMaskingConverter.mask(line);
			}
		});
	}

	@Test
	void bearerCredentialsAndJsonCredentialFieldsAreMasked() {
		assertThat(SecretMaskingConverter.mask("nativeHeaders={Authorization=[Bearer opaque-token]}"))
			.doesNotContain("opaque-token");
		assertThat(SecretMaskingConverter.mask("{\"username\":\"bob\",\"password\":\"hunter2\"}"))
			.isEqualTo("{\"username\":\"bob\",\"password\":\"****\"}");
	}

	@Test
	void ordinaryLinesAndStackTracesAreLeftAlone() {
		String line = "at org.springframework.web.socket.messaging.StompSubProtocolHandler.handleMessageFromClient"
				+ "(StompSubProtocolHandler.java:300) sessionId=abc123 destination=/topic/chat/general";
		assertThat(SecretMaskingConverter.mask(line)).isEqualTo(line);
	}

	private static String b64(String text) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
	}

}
