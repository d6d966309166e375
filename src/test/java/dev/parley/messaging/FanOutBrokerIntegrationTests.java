package dev.parley.messaging;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.simp.broker.AbstractBrokerMessageHandler;
import org.springframework.messaging.support.AbstractSubscribableChannel;
import org.springframework.web.socket.WebSocketHandler;

import dev.parley.support.StompTestClient;
import dev.parley.support.Transport;

import static dev.parley.support.StompTestClient.nextMatching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-memory broker is Parley's, and it fans out itself: no outbound interceptor of
 * the running server keeps broadcasts on Spring's per-subscriber path.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FanOutBrokerIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	@Qualifier("simpleBrokerMessageHandler")
	AbstractBrokerMessageHandler broker;

	@Autowired
	@Qualifier("subProtocolWebSocketHandler")
	WebSocketHandler sessions;

	@Autowired
	@Qualifier("clientOutboundChannel")
	AbstractSubscribableChannel outbound;

	@Test
	void theBrokerFansOutToTheOutboxesItself() {
		assertThat(this.broker).isInstanceOf(FanOutBroker.class);
		assertThat(this.broker.isRunning()).isTrue();
		assertThat(this.sessions).isInstanceOfSatisfying(Outboxes.Handler.class, (handler) -> assertThat(
				handler.round())
			.as("every outbound interceptor knows of the fan-out (%s), and the handler is the channel's only subscriber (%s)",
					this.outbound.getInterceptors(), this.outbound.getSubscribers())
			.isNotNull());
	}

	@Test
	void aBroadcastReachesSubscribersOnEveryTransport() {
		try (StompTestClient native1 = StompTestClient.connectAs(Transport.WEBSOCKET, this.port, "fan1");
				StompTestClient sockJs = StompTestClient.connectAs(Transport.SOCKJS, this.port, "fan2");
				StompTestClient xhr = StompTestClient.connectAs(Transport.SOCKJS_XHR, this.port, "fan3")) {
			BlockingQueue<JsonNode> first = native1.subscribe("/topic/chat/fanned");
			BlockingQueue<JsonNode> second = sockJs.subscribe("/topic/chat/fanned");
			BlockingQueue<JsonNode> third = xhr.subscribe("/topic/chat/fanned");
			native1.sync();
			sockJs.sync();
			xhr.sync();
			native1.send("/app/chat.join", Map.of("room", "fanned"));
			native1.send("/app/chat.send", Map.of("room", "fanned", "content", "to all three"));
			for (BlockingQueue<JsonNode> room : List.of(first, second, third)) {
				assertThat(
						nextMatching(room, (message) -> "to all three".equals(message.path("content").asString(null)))
							.get("content")
							.asString())
					.isEqualTo("to all three");
			}
			native1.assertNoErrors();
		}
	}

}
