package dev.parley.messaging;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.socket.CloseStatus;

import dev.parley.support.RawStompClient;
import dev.parley.support.TestHttp;
import dev.parley.support.TestTokens;
import dev.parley.support.Transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that negotiated no heart-beats and then went silent is not online for ever:
 * here it is closed after 2 s without a frame, and leaves presence. One that negotiated
 * heart-beats and missed them is closed by the broker, and counted as such.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "parley.websocket.idle-timeout=2s", "parley.websocket.heartbeat=1s" })
class IdleSessionIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	@Test
	void aSilentClientWithoutHeartbeatsIsClosedAndGoesOffline() throws Exception {
		try (RawStompClient silent = RawStompClient.connected(Transport.WEBSOCKET, this.port,
				TestTokens.valid("silent"), "heart-beat:0,0")) {
			await().atMost(Duration.ofSeconds(10)).until(() -> online().contains("\"silent\""));
			CloseStatus status = silent.awaitClose(Duration.ofSeconds(15));
			assertThat(status.getCode()).isEqualTo(CloseStatus.POLICY_VIOLATION.getCode());
			assertThat(status.getReason()).isEqualTo("Idle: no frame and no heart-beat");
			await().atMost(Duration.ofSeconds(15)).until(() -> !online().contains("\"silent\""));
		}
	}

	@Test
	void aClientWithoutHeartbeatsThatKeepsSendingStaysOpen() throws Exception {
		try (RawStompClient talker = RawStompClient.connected(Transport.WEBSOCKET, this.port,
				TestTokens.valid("talker"), "heart-beat:0,0")) {
			for (int i = 0; i < 6; i++) {
				talker.send("ACK", "", "id:" + i, "receipt:r" + i);
				assertThat(talker.nextFrame()).startsWith("RECEIPT\n");
				// Pacing, not a wait: a frame every 0.9 s, over twice the idle timeout in
				// all.
				assertThat(talker.pollFrame(Duration.ofMillis(900))).as("nothing but the receipt").isNull();
			}
			assertThat(talker.isOpen()).as("open after more than twice the idle timeout").isTrue();
		}
	}

	@Test
	void aClientThatMissesItsHeartbeatsIsClosedAndCountedAsSuch() throws Exception {
		double before = heartbeatTimeouts();
		double protocolErrorsBefore = closed("protocol-error");
		try (RawStompClient forgetful = RawStompClient.connected(Transport.WEBSOCKET, this.port,
				TestTokens.valid("forgetful"), "heart-beat:1000,0")) {
			forgetful.awaitClose(Duration.ofSeconds(15));
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> heartbeatTimeouts() == before + 1);
		assertThat(closed("protocol-error")).as("not counted as a protocol error").isEqualTo(protocolErrorsBefore);
	}

	private double heartbeatTimeouts() {
		return closed("heartbeat-timeout");
	}

	private double closed(String reason) {
		var counter = this.meters.find("parley.connections.closed").tag("reason", reason).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private String online() {
		return TestHttp.on(this.port).get("/api/presence", TestTokens.valid("watcher")).body();
	}

}
