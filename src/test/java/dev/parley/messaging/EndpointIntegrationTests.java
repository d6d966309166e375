package dev.parley.messaging;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHttpHeaders;

import dev.parley.support.Handshakes;
import dev.parley.support.RawStompClient;
import dev.parley.support.TestHttp;
import dev.parley.support.TestTokens;
import dev.parley.support.Transport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code /ws} endpoint as a browser meets it: origin checks and frame size.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EndpointIntegrationTests {

	@LocalServerPort
	int port;

	@ParameterizedTest
	@ValueSource(strings = { "http://evil.example", "http://127.0.0.1.evil.example", "null" })
	void aNativeHandshakeFromAForeignOriginIsRefusedWith403(String origin) {
		WebSocketHttpHeaders headers = new WebSocketHttpHeaders();
		headers.setOrigin(origin);
		assertThat(Handshakes.refusalStatus(() -> RawStompClient.open(Transport.WEBSOCKET, this.port, "", headers)))
			.isEqualTo(403);
	}

	@Test
	void aNativeHandshakeFromTheServersOwnOriginIsAccepted() throws Exception {
		WebSocketHttpHeaders headers = new WebSocketHttpHeaders();
		headers.setOrigin("http://127.0.0.1:" + this.port);
		try (RawStompClient client = RawStompClient.open(Transport.WEBSOCKET, this.port, "", headers)) {
			client.connect("Authorization:Bearer " + TestTokens.valid("alice"));
			assertThat(client.nextFrame()).startsWith("CONNECTED\n");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://evil.example", "null" })
	void sockJsFromAForeignOriginIsRefusedWith403(String origin) {
		TestHttp http = TestHttp.on(this.port);
		HttpResponse<String> info = http.send(http.request("/ws/info", null).header("Origin", origin).build());
		assertThat(info.statusCode()).isEqualTo(403);
	}

	@ParameterizedTest
	@EnumSource(value = Transport.class, names = { "WEBSOCKET" })
	void aFrameLargerThanTheLimitClosesTheSocketWith1009(Transport transport) throws Exception {
		try (RawStompClient client = RawStompClient.connected(transport, this.port, TestTokens.valid("alice"))) {
			try {
				client.send("SEND", "{\"text\":\"" + "x".repeat(70 * 1024) + "\"}", "destination:/app/chat");
			}
			catch (IllegalStateException | IOException ex) {
				// The server may close the socket while the client is still writing the
				// frame.
			}
			assertThat(client.awaitClose(Duration.ofSeconds(10)).getCode())
				.isEqualTo(CloseStatus.TOO_BIG_TO_PROCESS.getCode());
		}
	}

}
