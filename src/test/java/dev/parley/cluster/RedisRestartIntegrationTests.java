package dev.parley.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;

import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import dev.parley.support.LocalServices;
import dev.parley.support.StompTestClient;
import dev.parley.support.TestTokens;
import dev.parley.support.Transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes in {@code redis} mode on a Redis of the test's own, which is killed and
 * started again while a client sends: nothing stored is lost, what the other node missed
 * arrives in {@code seq} order, and the bridge comes back by itself. (The shared Redis on
 * 6379 keeps serving the other tests.)
 */
class RedisRestartIntegrationTests {

	private static final String SCHEMA = "redis_restart_it";

	private static String program;

	private static int port;

	private static Process redis;

	private static ConfigurableApplicationContext one;

	private static ConfigurableApplicationContext two;

	@BeforeAll
	static void startRedisAndTwoNodes() throws Exception {
		LocalServices.requirePostgres();
		program = LocalServices.requireRedisServerProgram();
		try (ServerSocket free = new ServerSocket(0)) {
			port = free.getLocalPort();
		}
		redis = startRedis();
		RedisNodes.freshSchema(SCHEMA);
		one = node("one");
		two = node("two");
	}

	@AfterAll
	static void stop() {
		for (ConfigurableApplicationContext node : new ConfigurableApplicationContext[] { one, two }) {
			if (node != null) {
				node.close();
			}
		}
		if (redis != null) {
			redis.destroyForcibly();
		}
	}

	private static Process startRedis() throws IOException {
		Process started = new ProcessBuilder(program, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save",
				"", "--appendonly", "no")
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.redirectError(ProcessBuilder.Redirect.DISCARD)
			.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
				return true;
			}
			catch (IOException ex) {
				return false;
			}
		});
		return started;
	}

	private static ConfigurableApplicationContext node(String name) {
		return RedisNodes.start(name, SCHEMA, "--spring.data.redis.port=" + port, "--parley.cluster.node-timeout=30s");
	}

	@Test
	void aRedisKilledAndStartedAgainDuringTrafficLosesNothingAndTheBridgeComesBack() throws Exception {
		try (StompTestClient sender = connect(one, "kate"); StompTestClient reader = connect(two, "leo")) {
			BlockingQueue<JsonNode> atReader = reader.subscribe("/topic/chat/restart");
			reader.sync();
			// Node two's bridge listens to the room's channel a moment after the
			// SUBSCRIBE.
			RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
			try (var connection = client.connect()) {
				await().atMost(Duration.ofSeconds(5))
					.until(() -> connection.sync()
						.pubsubNumsub("parley:t:/topic/chat/restart")
						.getOrDefault("parley:t:/topic/chat/restart", 0L) >= 1);
			}
			finally {
				client.shutdown();
			}
			sender.send("/app/chat.join", Map.of("room", "restart"));
			assertThat(StompTestClient.next(atReader, Duration.ofSeconds(10)).get("type").asString())
				.as("the bridge carries the JOIN before the outage")
				.isEqualTo("JOIN");
			for (int i = 0; i < 10; i++) {
				sender.send("/app/chat.send", Map.of("room", "restart", "content", "before " + i));
			}
			sender.sync();
			redis.destroyForcibly().waitFor();
			HealthIndicator cluster = one.getBean("clusterHealthIndicator", HealthIndicator.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> Status.DOWN.equals(cluster.health().getStatus()));
			for (int i = 0; i < 10; i++) {
				sender.send("/app/chat.send", Map.of("room", "restart", "content", "during " + i));
			}
			sender.sync();
			redis = startRedis();
			for (int i = 0; i < 10; i++) {
				sender.send("/app/chat.send", Map.of("room", "restart", "content", "after " + i));
			}
			sender.sync();
			List<Long> seqs = chatSeqs(atReader, 30);
			assertThat(seqs).as("nothing lost, nothing twice, in order").doesNotHaveDuplicates().isSorted();
			assertThat(seqs.get(29) - seqs.get(0)).isEqualTo(29);
			await().atMost(Duration.ofSeconds(30)).until(() -> Status.UP.equals(cluster.health().getStatus()));
			// And the bridge works again: a new message crosses without a gap to fill.
			sender.send("/app/chat.send", Map.of("room", "restart", "content", "later"));
			assertThat(chatSeqs(atReader, 1)).containsExactly(seqs.get(29) + 1);
		}
	}

	private static List<Long> chatSeqs(BlockingQueue<JsonNode> queue, int count) {
		List<Long> seqs = new ArrayList<>();
		while (seqs.size() < count) {
			// Lettuce reconnects with a growing delay: the last of them may take a while.
			JsonNode message = StompTestClient.next(queue, Duration.ofSeconds(45));
			if ("CHAT".equals(message.get("type").asString())) {
				seqs.add(message.get("seq").asLong());
			}
		}
		return seqs;
	}

	private static StompTestClient connect(ConfigurableApplicationContext node, String user) {
		int nodePort = Integer.parseInt(node.getEnvironment().getProperty("local.server.port"));
		return StompTestClient.connect(Transport.WEBSOCKET, nodePort, TestTokens.valid(user));
	}

}
