package dev.parley.ops;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.function.DoubleSupplier;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.simp.user.SimpUserRegistry;

import dev.parley.support.Json;
import dev.parley.support.StompTestClient;
import dev.parley.support.TestHttp;
import dev.parley.support.TestTokens;
import dev.parley.support.Transport;

import static dev.parley.support.StompTestClient.next;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Metrics move when traffic flows, and {@code /actuator/parley} shows what the node
 * serves.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MetricsIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry registry;

	@Autowired
	SimpUserRegistry users;

	@Test
	void countersMoveWithTraffic() throws Exception {
		// The counts are exact: this server is shared with other test classes, whose
		// sessions are let close first; nothing else talks to it meanwhile.
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
			assertThat(openSessions("websocket")).as("WebSocket sessions of earlier tests").isZero();
			assertThat(openSessions("sockjs")).as("SockJS sessions of earlier tests").isZero();
			assertThat(this.users.getUserCount()).as("users of earlier tests").isZero();
		});
		DoubleSupplier sends = () -> counter("parley.frames.inbound", "command", "SEND");
		DoubleSupplier deliveries = () -> counter("parley.deliveries.outbound", "kind", "MESSAGE");
		DoubleSupplier forbidden = () -> counter("parley.frames.rejected", "reason", "authorization");
		DoubleSupplier invalid = () -> counter("parley.frames.rejected", "reason", "validation");
		DoubleSupplier opened = () -> this.registry.get("parley.connections.opened").counter().count();
		double sendsBefore = sends.getAsDouble();
		double deliveriesBefore = deliveries.getAsDouble();
		double forbiddenBefore = forbidden.getAsDouble();
		double invalidBefore = invalid.getAsDouble();
		double openedBefore = opened.getAsDouble();
		long commitsBefore = this.registry.get("parley.storage.commit").timer().count();
		double closedBefore = closed();
		double brokerSessionsBefore = brokerSessionsEver();

		try (StompTestClient client = StompTestClient.connect(Transport.WEBSOCKET, this.port,
				TestTokens.valid("metered"))) {
			assertThat(openSessions("websocket")).isEqualTo(1);
			BlockingQueue<JsonNode> room = client.subscribe("/topic/chat/metered");
			client.send("/app/chat.join", Map.of("room", "metered"));
			next(room);
			client.send("/app/chat.send", Map.of("room", "metered", "content", "counted"));
			next(room);
			client.send("/topic/messages", Map.of("text", "forbidden"));
			client.nextError();
			client.send("/app/chat.send", Map.of("room", "metered", "content", ""));
			client.nextError();

			assertThat(sends.getAsDouble() - sendsBefore).as("join, chat, forbidden, invalid").isEqualTo(4);
			assertThat(deliveries.getAsDouble() - deliveriesBefore).as("join notice, chat, two errors").isEqualTo(4);
			assertThat(forbidden.getAsDouble() - forbiddenBefore).isEqualTo(1);
			assertThat(invalid.getAsDouble() - invalidBefore).isEqualTo(1);
			assertThat(opened.getAsDouble() - openedBefore).isEqualTo(1);
			assertThat(this.registry.get("parley.storage.commit").timer().count()).as("join notice, chat")
				.isEqualTo(commitsBefore + 2);
			assertThat(this.registry.find("spring.security.authorizations").meters())
				.as("no observation per frame: parley.frames.rejected counts refusals")
				.isEmpty();
			assertThat(this.registry.find("spring.security.filterchains").meters())
				.as("no filter-chain observation kept for a WebSocket's life")
				.isEmpty();

			JsonNode status = Json.parse(get("/actuator/parley"));
			assertThat(status.get("rooms").get("metered").asInt()).isEqualTo(1);
			assertThat(status.get("sessions").get("websocket").asInt()).isEqualTo(1);
			assertThat(status.get("sessions").get("total").asInt()).isEqualTo(1);
			assertThat(status.get("users").asInt()).isEqualTo(1);
			assertThat(status.get("broker").get("mode").asString()).isEqualTo("simple");
			assertThat(status.get("broker").get("available").asBoolean()).isTrue();
		}
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(closed() - closedBefore).as("closes, whatever their reason").isEqualTo(1));
		assertThat(brokerSessionsEver() - brokerSessionsBefore).as("sessions Spring's broker stats counted")
			.isEqualTo(1);
		assertThat(openSessions("websocket")).isZero();
	}

	@Test
	void prometheusScrapeCarriesParleysMeters() throws Exception {
		String scrape = get("/actuator/prometheus");
		assertThat(scrape).contains("parley_frames_inbound_total")
			.contains("parley_sessions_open")
			.contains("parley_storage_commit_seconds")
			.contains("parley_broker_available")
			.contains("executor_queued_tasks");
	}

	private double openSessions(String transport) {
		return this.registry.get("parley.sessions.open").tag("transport", transport).gauge().value();
	}

	/**
	 * Spring's count of sessions ever opened: its "total" is not decremented on close.
	 */
	private double brokerSessionsEver() {
		return this.registry.get("parley.broker.sessions").tag("kind", "total").gauge().value();
	}

	private double closed() {
		return this.registry.find("parley.connections.closed").counters().stream().mapToDouble((c) -> c.count()).sum();
	}

	private double counter(String name, String tag, String value) {
		var counter = this.registry.find(name).tag(tag, value).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private String get(String path) {
		HttpResponse<String> response = TestHttp.on(this.port).get(path, TestTokens.withRoles("operator", "ADMIN"));
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

}
