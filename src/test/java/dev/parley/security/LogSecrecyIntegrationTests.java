package dev.parley.security;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.parley.support.Json;
import dev.parley.support.RawStompClient;
import dev.parley.support.StompTestClient;
import dev.parley.support.TestHttp;
import dev.parley.support.TestTokens;
import dev.parley.support.Transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With Spring's web, WebSocket, messaging and security loggers at DEBUG and TRACE, where
 * they print handshake URLs, STOMP headers and request bodies, no token and no password
 * reaches the log.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "logging.level.org.springframework.web=DEBUG",
				"logging.level.org.springframework.web.socket=TRACE",
				"logging.level.org.springframework.messaging=TRACE", "logging.level.org.springframework.security=DEBUG",
				"logging.level.dev.parley=TRACE" })
class LogSecrecyIntegrationTests {

	private static final String PASSWORD = "Tr0ub4dor&3-horse";

	@LocalServerPort
	int port;

	@Test
	void noTokenOrPasswordIsLoggedAtAnyLevel(CapturedOutput output) throws Exception {
		post("/api/auth/register", "{\"username\":\"secretive\",\"password\":\"" + PASSWORD + "\"}");
		String issued = Json
			.accessToken(post("/api/auth/login", "{\"username\":\"secretive\",\"password\":\"" + PASSWORD + "\"}"));
		post("/api/auth/login", "{\"username\":\"secretive\",\"password\":\"wrong-" + PASSWORD + "\"}");

		String header = TestTokens.valid("header-user");
		String query = TestTokens.valid("query-user");
		String refreshed = TestTokens.valid("header-user");
		String bad = TestTokens.expired("bad-user");
		try (StompTestClient client = StompTestClient.connect(Transport.WEBSOCKET, this.port, header)) {
			client.send("/app/auth.refresh", Map.of("token", refreshed));
			client.send("/app/chat", Map.of("text", "hello"));
			client.assertNoErrors();
		}
		try (RawStompClient client = RawStompClient.open(Transport.SOCKJS_XHR, this.port, "?access_token=" + query)) {
			client.connect();
			assertThat(client.nextFrame()).startsWith("CONNECTED");
		}
		// A percent-encoded parameter name (which the container decodes) and a token
		// whose text
		// does not start with eyJ.
		String odd = oddToken("odd-user");
		try (RawStompClient client = RawStompClient.open(Transport.SOCKJS_XHR, this.port, "?access_toke%6E=" + odd)) {
			client.connect();
			assertThat(client.nextFrame()).startsWith("CONNECTED").contains("user-name:odd-user");
		}
		try (RawStompClient client = RawStompClient.open(Transport.WEBSOCKET, this.port, "")) {
			client.connect("Authorization:Bearer " + bad);
			assertThat(client.nextFrame()).startsWith("ERROR");
		}
		TestHttp.on(this.port).get("/api/presence", issued);
		// The last request's own log lines are written by then.
		await().atMost(Duration.ofSeconds(5)).until(() -> output.getAll().contains("/api/presence"));

		assertThat(output.getAll()).as("the log has DEBUG lines about the handshake")
			.contains("ws")
			.contains("CONNECT");
		for (String secret : List.of(PASSWORD, issued, header, query, refreshed, bad, odd)) {
			assertThat(output.getAll()).doesNotContain(secret);
			assertThat(output.getAll()).doesNotContain(secret.substring(secret.lastIndexOf('.') + 1));
		}
		assertThat(output.getAll()).as("handshake URLs were logged, their query strings masked").contains("?****");
		assertThat(output.getAll()).doesNotContain(issued.substring(issued.lastIndexOf('.') + 1));
	}

	/**
	 * A valid token whose header has a leading newline, so that its base64 starts with
	 * {@code Cnsi}.
	 */
	private static String oddToken(String user) throws Exception {
		String header = b64("\n{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
		String payload = b64("{\"sub\":\"" + user + "\",\"exp\":" + (System.currentTimeMillis() / 1000 + 600) + "}");
		javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
		mac.init(TestTokens.KEY);
		byte[] signature = mac.doFinal((header + "." + payload).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
		return header + "." + payload + "."
				+ java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
	}

	private static String b64(String text) {
		return java.util.Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	private String post(String path, String json) {
		return TestHttp.on(this.port).post(path, json, null).body();
	}

}
