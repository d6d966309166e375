package dev.parley.security;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.socket.CloseStatus;

import dev.parley.support.Handshakes;
import dev.parley.support.RawStompClient;
import dev.parley.support.StompTestClient;
import dev.parley.support.TestTokens;
import dev.parley.support.Transport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client sees when it connects with no token, a bad one, or a good one on the
 * handshake URL.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StompAuthenticationIntegrationTests {

	@LocalServerPort
	int port;

	static Stream<Arguments> refusedConnects() {
		Map<String, Supplier<String[]>> cases = Map.of("no token", () -> new String[0], "expired token",
				() -> new String[] { "Authorization:Bearer " + TestTokens.expired("alice") }, "wrong signature",
				() -> new String[] { "Authorization:Bearer " + TestTokens.signedWithWrongKey("alice") },
				"not a bearer header", () -> new String[] { "Authorization:Basic YWxpY2U6c2VjcmV0" });
		Map<String, String> reasons = Map.of("no token", "Missing access token", "expired token", "expired",
				"wrong signature", "signature", "not a bearer header", "Bearer");
		return Stream.of(Transport.WEBSOCKET, Transport.SOCKJS)
			.flatMap((transport) -> cases.keySet()
				.stream()
				.map((name) -> Arguments.of(transport, name, cases.get(name).get(), reasons.get(name))));
	}

	@ParameterizedTest(name = "{0}: {1}")
	@MethodSource("refusedConnects")
	void connectWithoutAValidTokenGetsAnErrorFrameAndAClosedSocket(Transport transport, String name, String[] headers,
			String reason) throws Exception {
		try (RawStompClient client = RawStompClient.open(transport, this.port, "")) {
			client.connect(headers);
			String frame = client.nextFrame();
			assertThat(frame).startsWith("ERROR\n").contains("message:Unauthorized - ").contains(reason);
			assertThat(client.awaitClose(Duration.ofSeconds(10)).getCode())
				.isEqualTo(CloseStatus.PROTOCOL_ERROR.getCode());
		}
	}

	@ParameterizedTest
	@EnumSource(value = Transport.class, names = { "WEBSOCKET", "SOCKJS" })
	void framesBeforeConnectAreRefusedAndTheSocketClosed(Transport transport) throws Exception {
		try (RawStompClient client = RawStompClient.open(transport, this.port, "")) {
			client.send("SEND", "{\"text\":\"hi\"}", "destination:/app/chat", "content-type:application/json");
			assertThat(client.nextFrame()).startsWith("ERROR\n").contains("authenticate with CONNECT first");
			assertThat(client.awaitClose(Duration.ofSeconds(10)).getCode())
				.isEqualTo(CloseStatus.PROTOCOL_ERROR.getCode());
		}
	}

	@ParameterizedTest
	@EnumSource(value = Transport.class, names = { "WEBSOCKET", "SOCKJS", "SOCKJS_XHR" })
	void aTokenOnTheHandshakeUrlAuthenticatesTheSession(Transport transport) throws Exception {
		for (String parameter : new String[] { "access_token", "token" }) {
			try (RawStompClient client = RawStompClient.open(transport, this.port,
					"?" + parameter + "=" + TestTokens.valid("alice"))) {
				client.connect();
				assertThat(client.nextFrame()).startsWith("CONNECTED\n").contains("user-name:alice");
				client.send("SUBSCRIBE", "", "id:0", "destination:/topic/messages");
				client.send("SEND", "{\"text\":\"via query token\"}", "destination:/app/chat",
						"content-type:application/json");
				String message = client.nextFrame();
				assertThat(message).startsWith("MESSAGE\n")
					.contains("\"sender\":\"alice\"")
					.contains("\"text\":\"via query token\"");
				assertThat(client.isOpen()).isTrue();
			}
		}
	}

	@ParameterizedTest
	@EnumSource(value = Transport.class, names = { "WEBSOCKET", "SOCKJS" })
	void aBadTokenOnTheHandshakeUrlIsRefusedWith401(Transport transport) {
		assertThat(Handshakes
			.refusalStatus(() -> RawStompClient.open(transport, this.port, "?access_token=" + TestTokens.expired("a"))))
			.isEqualTo(401);
	}

	@ParameterizedTest
	@EnumSource(value = Transport.class, names = { "WEBSOCKET", "SOCKJS", "SOCKJS_XHR" })
	void theJsonBodyNeedsNoContentTypeHeader(Transport transport) throws Exception {
		try (RawStompClient client = RawStompClient.connected(transport, this.port, TestTokens.valid("alice"))) {
			client.send("SUBSCRIBE", "", "id:0", "destination:/topic/messages");
			client.send("SEND", "{\"type\":\"message\",\"text\":\"plain stompjs\"}", "destination:/app/chat");
			assertThat(client.nextFrame()).contains("\"text\":\"plain stompjs\"");
		}
	}

	@ParameterizedTest
	@EnumSource(value = Transport.class, names = { "WEBSOCKET", "SOCKJS" })
	void aValidBearerHeaderConnects(Transport transport) {
		try (StompTestClient client = StompTestClient.connect(transport, this.port, TestTokens.valid("alice"))) {
			BlockingQueue<?> messages = client.subscribe("/topic/presence");
			client.sync();
			assertThat(client.isConnected()).isTrue();
			assertThat(messages).isEmpty();
		}
	}

	@ParameterizedTest
	@EnumSource(value = Transport.class, names = { "WEBSOCKET", "SOCKJS", "SOCKJS_XHR" })
	void theStompCommandIsAuthenticatedLikeConnect(Transport transport) throws Exception {
		try (RawStompClient client = RawStompClient.open(transport, this.port, "")) {
			client.send("STOMP", "", "accept-version:1.2", "host:localhost");
			assertThat(client.nextFrame()).startsWith("ERROR\n").contains("Missing access token");
			assertThat(client.awaitClose(Duration.ofSeconds(10)).getCode())
				.isEqualTo(CloseStatus.PROTOCOL_ERROR.getCode());
		}
	}

	@org.junit.jupiter.api.Test
	void overSockJsHttpTransportsATokenOnlyInConnectIsRefused() throws Exception {
		// Such a session's later requests would be bound to nobody: whoever learns its
		// path could use it.
		try (RawStompClient client = RawStompClient.open(Transport.SOCKJS_XHR, this.port, "")) {
			client.connect("Authorization:Bearer " + TestTokens.valid("alice"));
			assertThat(client.nextFrame()).startsWith("ERROR\n")
				.contains("message:Unauthorized - over SockJS HTTP transports send the token on the URL");
		}
	}

	@ParameterizedTest
	@EnumSource(value = Transport.class, names = { "WEBSOCKET", "SOCKJS_XHR" })
	void aConnectTokenForAnotherUserThanTheHandshakeTokenIsRefused(Transport transport) throws Exception {
		try (RawStompClient client = RawStompClient.open(transport, this.port,
				"?access_token=" + TestTokens.valid("alice"))) {
			client.connect("Authorization:Bearer " + TestTokens.valid("mallory"));
			assertThat(client.nextFrame()).startsWith("ERROR\n").contains("another user");
		}
	}

}
