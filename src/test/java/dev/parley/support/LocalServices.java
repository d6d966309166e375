package dev.parley.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The services of the machine some integration tests need: the local PostgreSQL
 * (127.0.0.1:5432, database {@code test}, user {@code postgres}), Redis (127.0.0.1:6379)
 * and RabbitMQ's STOMP plugin (127.0.0.1:61613, {@code guest}). A test whose service is
 * absent is skipped with the reason, except under {@code CI=true}, where that fails it:
 * CI provides them, and a skip there would hide a broken setup.
 */
public final class LocalServices {

	public static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";

	public static final String RABBIT_HOST = "127.0.0.1";

	public static final int RABBIT_STOMP_PORT = 61613;

	private static final JsonMapper json = JsonMapper.builder().build();

	private LocalServices() {
	}

	public static void requirePostgres() {
		try (Connection connection = DriverManager.getConnection(POSTGRES_URL, "postgres", "")) {
			if (!connection.isValid(2)) {
				missing("PostgreSQL at " + POSTGRES_URL + " does not answer", null);
			}
		}
		catch (Exception ex) {
			missing("PostgreSQL not reachable at " + POSTGRES_URL + ": " + ex.getMessage(), ex);
		}
	}

	public static void requireRedis() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", 6379), 2000);
		}
		catch (Exception ex) {
			missing("Redis is not reachable at 127.0.0.1:6379", ex);
		}
	}

	/**
	 * The {@code redis-server} program, for a test that stops and restarts a Redis of its
	 * own (the shared one on 6379 must keep serving the other tests).
	 */
	public static String requireRedisServerProgram() {
		for (String directory : List.of("/usr/bin", "/usr/local/bin", "/usr/sbin")) {
			java.nio.file.Path program = java.nio.file.Path.of(directory, "redis-server");
			if (java.nio.file.Files.isExecutable(program)) {
				return program.toString();
			}
		}
		missing("The redis-server program is not installed (apt-get install redis-server)", null);
		throw new IllegalStateException("unreachable");
	}

	public static void requireRabbitStomp() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(RABBIT_HOST, RABBIT_STOMP_PORT), 2000);
		}
		catch (IOException ex) {
			missing("RabbitMQ's STOMP plugin not listening on " + RABBIT_HOST + ":" + RABBIT_STOMP_PORT + " ("
					+ ex.getMessage() + "); enable it with: rabbitmq-plugins enable rabbitmq_stomp", ex);
		}
	}

	/** A queue as {@code rabbitmqctl list_queues} shows it. */
	public record RabbitQueue(String name, boolean durable, boolean autoDelete, boolean exclusive, JsonNode arguments) {
	}

	/**
	 * Every queue of RabbitMQ's default virtual host, from {@code rabbitmqctl} (which
	 * needs to run as root or as RabbitMQ's user).
	 */
	public static List<RabbitQueue> rabbitQueues() {
		String output;
		try {
			Process process = new ProcessBuilder("rabbitmqctl", "-q", "list_queues", "name", "durable", "auto_delete",
					"exclusive", "arguments", "--formatter", "json")
				.redirectErrorStream(true)
				.start();
			output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				missing("rabbitmqctl list_queues failed: " + output, null);
			}
		}
		catch (IOException ex) {
			missing("rabbitmqctl cannot be run: " + ex.getMessage(), ex);
			return List.of();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		List<RabbitQueue> queues = new ArrayList<>();
		for (JsonNode queue : json.readTree(output.substring(output.indexOf('[')))) {
			queues.add(new RabbitQueue(queue.path("name").asString(), queue.path("durable").asBoolean(),
					queue.path("auto_delete").asBoolean(), queue.path("exclusive").asBoolean(),
					queue.path("arguments")));
		}
		return queues;
	}

	private static void missing(String reason, Exception cause) {
		if ("true".equals(System.getenv("CI"))) {
			throw new IllegalStateException(reason + "; CI=true, so this is a failure, not a skip", cause);
		}
		Assumptions.assumeTrue(false, reason);
	}

}
