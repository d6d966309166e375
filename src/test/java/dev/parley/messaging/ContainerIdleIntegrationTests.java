package dev.parley.messaging;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.parley.support.RawStompClient;
import dev.parley.support.TestTokens;
import dev.parley.support.Transport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session is not held to Jetty's connection idle timeout, which is there for half-sent
 * HTTP requests: a client that negotiated no heart-beats may stay silent up to Parley's
 * own idle timeout, on a WebSocket and on SockJS's HTTP streaming, whose request stays
 * open between messages. Here Jetty's is 1 s and Parley's 30 s.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "server.jetty.connection-idle-timeout=1s", "parley.websocket.idle-timeout=30s" })
class ContainerIdleIntegrationTests {

	@LocalServerPort
	int port;

	@ParameterizedTest
	@EnumSource(value = Transport.class, names = { "WEBSOCKET", "SOCKJS", "SOCKJS_XHR" })
	void aSilentSessionOutlivesJettysIdleTimeout(Transport transport) throws Exception {
		try (RawStompClient client = RawStompClient.connected(transport, this.port, TestTokens.valid("quiet"),
				"heart-beat:0,0")) {
			assertThat(client.pollFrame(Duration.ofSeconds(3))).as("three times Jetty's idle timeout in silence")
				.isNull();
			assertThat(client.isOpen()).isTrue();
			client.send("SUBSCRIBE", "", "id:s", "destination:/topic/messages", "receipt:still-here");
			assertThat(client.nextFrame()).startsWith("RECEIPT\n").contains("receipt-id:still-here");
		}
	}

}
