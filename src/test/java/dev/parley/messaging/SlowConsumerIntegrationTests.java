package dev.parley.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.socket.CloseStatus;

import dev.parley.support.NonReadingClient;
import dev.parley.support.StompTestClient;
import dev.parley.support.TestTokens;
import dev.parley.support.Transport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that stop reading their socket in a busy topic cost only themselves: a client
 * that reads gets every message, in order and without waiting on them, while they are
 * closed with 1008 once their buffer limit (here 256 KiB) is reached.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "parley.limits.send-rate=100000", "parley.limits.send-burst=100000",
				"parley.limits.frame-rate=100000", "parley.limits.frame-burst=100000",
				"parley.websocket.send-buffer-size-limit=256KB" })
class SlowConsumerIntegrationTests {

	private static final int MESSAGES = 3000;

	private static final int BATCH = 40;

	@Autowired
	MeterRegistry meters;

	@LocalServerPort
	int port;

	@ParameterizedTest(name = "{0} clients that stop reading")
	@ValueSource(ints = { 1, 4, 20 })
	void aClientThatReadsGetsEveryMessageInOrderWhileTheOthersAreClosed(int slow) throws Exception {
		List<NonReadingClient> stalled = new ArrayList<>();
		double closedBefore = slowConsumerCloses();
		try (StompTestClient reader = StompTestClient.connect(Transport.WEBSOCKET, this.port,
				TestTokens.valid("reader"));
				StompTestClient sender = StompTestClient.connect(Transport.WEBSOCKET, this.port,
						TestTokens.valid("sender"))) {
			for (int i = 0; i < slow; i++) {
				stalled.add(new NonReadingClient(this.port, TestTokens.valid("stalled" + i), "/topic/messages"));
			}
			BlockingQueue<JsonNode> received = reader.subscribe("/topic/messages");
			reader.assertNoErrors();
			// Batches that the reader takes in before the next (well within its own
			// buffer limit): 12 MB in all, far more than the stalled clients' socket
			// buffers hold.
			String padding = "x".repeat(3900);
			for (int batch = 0; batch < MESSAGES; batch += BATCH) {
				for (int i = batch; i < batch + BATCH; i++) {
					sender.send("/app/chat", Map.of("text", i + " " + padding));
				}
				for (int i = batch; i < batch + BATCH; i++) {
					JsonNode message = received.poll(10, TimeUnit.SECONDS);
					assertThat(message).as("message %d of %d", i, MESSAGES).isNotNull();
					String text = message.get("text").asString();
					assertThat(text.substring(0, text.indexOf(' '))).as("in order").isEqualTo(Integer.toString(i));
				}
			}
			assertThat(reader.isConnected()).isTrue();
			for (NonReadingClient client : stalled) {
				// Its socket is full: the close frame may not fit, and then the
				// connection just ends.
				assertThat(client.closeCode()).as("closed as a slow consumer")
					.isIn(CloseStatus.POLICY_VIOLATION.getCode(), null);
			}
			assertThat(slowConsumerCloses()).as("counted as slow consumers").isEqualTo(slow + closedBefore);
		}
		finally {
			for (NonReadingClient client : stalled) {
				client.close();
			}
		}
	}

	private double slowConsumerCloses() {
		var counter = this.meters.find("parley.connections.closed").tag("reason", "slow-consumer").counter();
		return (counter != null) ? counter.count() : 0;
	}

}
