package dev.parley.history;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import dev.parley.support.StompTestClient;
import dev.parley.support.TestHttp;
import dev.parley.support.TestTokens;
import dev.parley.support.Transport;

import static dev.parley.support.StompTestClient.next;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The database goes away and comes back: senders get a fast, clear error and keep their
 * session, readiness goes DOWN while liveness stays UP, and everything works again
 * afterwards.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DatabaseOutageIntegrationTests {

	@LocalServerPort
	int port;

	/**
	 * Stands between the application and its pool, and can refuse connections as an
	 * unreachable server does.
	 */
	static final class SwitchableDataSource extends DelegatingDataSource {

		volatile boolean down;

		/**
		 * Connections asked for while down, but for the room directory's refresh, which
		 * runs every {@code parley.rooms.access-refresh} whatever a test does: each waits
		 * as a pool waits for a server that does not answer.
		 */
		final AtomicInteger attemptsWhileDown = new AtomicInteger();

		/**
		 * Of those, the ones made to store messages (other readers ask on their own
		 * schedule).
		 */
		final AtomicInteger writerAttemptsWhileDown = new AtomicInteger();

		SwitchableDataSource(DataSource target) {
			super(target);
		}

		@Override
		public Connection getConnection() throws SQLException {
			if (this.down) {
				if (!isRoomDirectoryRefresh()) {
					this.attemptsWhileDown.incrementAndGet();
					if (Thread.currentThread().getName().equals("parley-message-writer")) {
						this.writerAttemptsWhileDown.incrementAndGet();
					}
				}
				try {
					// The outage itself: a pool waits for a server that does not answer.
					Thread.sleep(300);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				throw new SQLTransientConnectionException("Connection refused (database outage in a test)");
			}
			return super.getConnection();
		}

		private static boolean isRoomDirectoryRefresh() {
			return StackWalker.getInstance()
				.walk((frames) -> frames
					.anyMatch((frame) -> frame.getClassName().equals("dev.parley.room.RoomDirectory")
							&& frame.getMethodName().equals("refresh")));
		}

	}

	@TestConfiguration
	static class Outage {

		@Bean
		static BeanPostProcessor switchableDataSource() {
			return new BeanPostProcessor() {
				@Override
				public Object postProcessAfterInitialization(Object bean, String name) {
					return (bean instanceof DataSource dataSource && !(bean instanceof SwitchableDataSource))
							? new SwitchableDataSource(dataSource) : bean;
				}
			};
		}

	}

	@org.springframework.beans.factory.annotation.Autowired
	DataSource dataSource;

	/**
	 * Each test starts with storage working: a write that failed in another test leaves
	 * the breaker open for a second, and may still be under way.
	 */
	@BeforeEach
	void storageWorks() {
		await().atMost(Duration.ofSeconds(10)).until(() -> storeProbe() == 201);
	}

	private int storeProbe() {
		return TestHttp.on(this.port)
			.post("/api/rooms/probe/messages", "{\"content\":\"probe\"}", TestTokens.withRoles("prober", "SERVICE"))
			.statusCode();
	}

	@Test
	void sendersGetAFastErrorAndReadinessFollowsTheDatabase() throws Exception {
		SwitchableDataSource database = (SwitchableDataSource) this.dataSource;
		try (StompTestClient alice = StompTestClient.connect(Transport.WEBSOCKET, this.port,
				TestTokens.valid("outage-alice"))) {
			BlockingQueue<JsonNode> room = alice.subscribe("/topic/chat/outage");
			alice.send("/app/chat.join", Map.of("room", "outage"));
			assertThat(next(room).get("type").asString()).isEqualTo("JOIN");
			assertThat(status("/actuator/health/readiness")).isEqualTo(200);

			database.down = true;
			database.writerAttemptsWhileDown.set(0);
			alice.send("/app/chat.send", Map.of("room", "outage", "content", "into the void"));
			JsonNode error = alice.nextError();
			// Fast: the error comes after the one connection attempt, without another try
			// and without the message waiting on the database any further.
			assertThat(database.writerAttemptsWhileDown.get()).as("connections asked for before the error")
				.isEqualTo(1);
			assertThat(error.get("error").asString()).isEqualTo("storage-unavailable");
			assertThat(error.get("message").asString()).contains("could not be stored");
			assertThat(status("/actuator/health/readiness")).isEqualTo(503);
			assertThat(status("/actuator/health/liveness")).isEqualTo(200);
			assertThat(alice.isConnected()).isTrue();

			database.down = false;
			await().atMost(Duration.ofSeconds(10)).until(() -> status("/actuator/health/readiness") == 200);
			alice.send("/app/chat.send", Map.of("room", "outage", "content", "back again"));
			assertThat(next(room).get("content").asString()).isEqualTo("back again");
			assertThat(room).isEmpty();
		}
	}

	@Test
	void whileTheDatabaseIsDownMessagesAreRefusedWithoutEachWaitingForIt() throws Exception {
		SwitchableDataSource database = (SwitchableDataSource) this.dataSource;
		try (StompTestClient bob = StompTestClient.connect(Transport.WEBSOCKET, this.port,
				TestTokens.valid("outage-bob"))) {
			bob.send("/app/chat.join", Map.of("room", "outage-burst"));
			bob.assertNoErrors();
			database.down = true;
			database.writerAttemptsWhileDown.set(0);
			for (int i = 0; i < 10; i++) {
				bob.send("/app/chat.send", Map.of("room", "outage-burst", "content", "lost " + i));
			}
			for (int i = 0; i < 10; i++) {
				assertThat(bob.nextError().get("error").asString()).isEqualTo("storage-unavailable");
			}
			// The first failure opens the breaker for a second: the others, queued behind
			// it or sent after it, are refused without asking the database.
			assertThat(database.writerAttemptsWhileDown.get()).as("connections asked for by 10 messages").isEqualTo(1);
			assertThat(bob.isConnected()).isTrue();
		}
		finally {
			database.down = false;
		}
	}

	@Test
	void whileTheDatabaseIsDownSubscribingAndJoiningStillWork() throws Exception {
		SwitchableDataSource database = (SwitchableDataSource) this.dataSource;
		try (StompTestClient carol = StompTestClient.connect(Transport.WEBSOCKET, this.port,
				TestTokens.valid("outage-carol"))) {
			database.down = true;
			database.attemptsWhileDown.set(0);
			BlockingQueue<JsonNode> users = carol.subscribe("/topic/chat/outage-subscribe/users");
			carol.subscribe("/topic/chat/outage-subscribe");
			carol.assertNoErrors();
			assertThat(database.attemptsWhileDown.get()).as("authorizing asks the database nothing").isZero();
			// The JOIN notice cannot be stored, but the user is in the room.
			carol.send("/app/chat.join", Map.of("room", "outage-subscribe"));
			assertThat(next(users).toString()).isEqualTo("[\"outage-carol\"]");
		}
		finally {
			database.down = false;
		}
	}

	private int status(String path) {
		return TestHttp.on(this.port).get(path).statusCode();
	}

}
