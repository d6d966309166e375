package dev.parley.security.battery;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.web.socket.CloseStatus;

import dev.parley.support.RawStompClient;
import dev.parley.support.StompTestClient;
import dev.parley.support.Transport;

import static dev.parley.support.StompTestClient.next;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session lives as long as its token, unless the client hands over a new one with
 * {@code /app/auth.refresh}.
 */
class TokenLifetimeIntegrationTests extends BatteryServer {

	@Test
	void aSessionIsClosedWhenItsTokenExpires() throws Exception {
		try (RawStompClient client = RawStompClient.open(Transport.WEBSOCKET, this.port, "")) {
			client.connect("Authorization:Bearer " + token("shortlived", Duration.ofSeconds(2)));
			assertThat(client.nextFrame()).startsWith("CONNECTED\n");
			assertThat(client.nextFrame()).startsWith("ERROR\n")
				.contains("message:Unauthorized - Access token expired");
			assertThat(client.awaitClose(Duration.ofSeconds(5)).getCode())
				.isEqualTo(CloseStatus.PROTOCOL_ERROR.getCode());
		}
	}

	@Test
	void aSessionOpenedWithTheStompCommandIsClosedWhenItsTokenExpires() throws Exception {
		try (RawStompClient client = RawStompClient.open(Transport.WEBSOCKET, this.port,
				"?access_token=" + token("stompshort", Duration.ofSeconds(2)))) {
			client.send("STOMP", "", "accept-version:1.2", "host:localhost");
			assertThat(client.nextFrame()).startsWith("CONNECTED\n");
			assertThat(client.nextFrame()).startsWith("ERROR\n")
				.contains("message:Unauthorized - Access token expired");
			assertThat(client.awaitClose(Duration.ofSeconds(5)).getCode())
				.isEqualTo(CloseStatus.PROTOCOL_ERROR.getCode());
		}
	}

	@Test
	void aRefreshedSessionOutlivesItsFirstToken() throws Exception {
		try (StompTestClient client = StompTestClient.connect(Transport.WEBSOCKET, this.port,
				token("refresher", Duration.ofSeconds(2)));
				// Its token minted after the refresher's first one: it does not expire
				// sooner.
				RawStompClient unrefreshed = RawStompClient.connected(Transport.WEBSOCKET, this.port,
						token("unrefreshed", Duration.ofSeconds(2)))) {
			client.send("/app/auth.refresh", Map.of("token", token("refresher", Duration.ofMinutes(10))));
			client.assertNoErrors();
			// Past the first token's end, when the session would have been closed without
			// the refresh: a session that was not refreshed is.
			assertThat(unrefreshed.nextFrame()).startsWith("ERROR\n")
				.contains("message:Unauthorized - Access token expired");
			assertThat(unrefreshed.awaitClose(Duration.ofSeconds(5)).getCode())
				.isEqualTo(CloseStatus.PROTOCOL_ERROR.getCode());
			BlockingQueue<JsonNode> global = client.subscribe("/topic/messages");
			client.send("/app/chat", Map.of("text", "still here after the first token expired"));
			assertThat(next(global).get("text").asString()).isEqualTo("still here after the first token expired");
			assertThat(client.isConnected()).isTrue();
		}
	}

	@Test
	void aRefreshWithAnotherUsersOrABadTokenIsRefused() {
		try (StompTestClient client = StompTestClient.connect(Transport.WEBSOCKET, this.port, token("refresher2"))) {
			client.send("/app/auth.refresh", Map.of("token", token("somebody-else")));
			assertThat(client.nextError().get("error").asString()).isEqualTo("forbidden");
			client.send("/app/auth.refresh", Map.of("token", token("refresher2", Duration.ofMinutes(-5))));
			JsonNode expired = client.nextError();
			assertThat(expired.get("error").asString()).isEqualTo("unauthorized");
			assertThat(expired.get("message").asString()).isEqualTo("Access token expired");
			assertThat(client.isConnected()).isTrue();
		}
	}

}
