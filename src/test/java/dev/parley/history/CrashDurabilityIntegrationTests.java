package dev.parley.history;

import java.io.File;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.parley.ParleyApplication;
import dev.parley.support.Json;
import dev.parley.support.RawStompClient;
import dev.parley.support.TestHttp;
import dev.parley.support.TestTokens;
import dev.parley.support.Transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@code RECEIPT} means the message survives a crash of the process, on the embedded
 * default (H2) too: a server in a child JVM is killed with {@code kill -9} while clients
 * send, then started again on the same files, and every receipted message must be there,
 * under its own {@code seq}. And a second server on the same files says in one line what
 * is wrong.
 */
class CrashDurabilityIntegrationTests {

	@TempDir
	Path data;

	private Process server;

	@AfterEach
	void stop() {
		if (this.server != null) {
			this.server.destroyForcibly();
		}
	}

	@Test
	void receiptedMessagesSurviveAKill9OnH2() throws Exception {
		int port = freePort();
		this.server = start(port);
		Set<String> receipted = ConcurrentHashMap.newKeySet();
		AtomicBoolean sending = new AtomicBoolean(true);
		ExecutorService clients = Executors.newFixedThreadPool(10);
		for (int c = 0; c < 10; c++) {
			int client = c;
			clients.submit(() -> send(port, "crasher" + client, receipted, sending));
		}
		await().atMost(Duration.ofSeconds(60)).until(() -> receipted.size() >= 300);
		// Killed in full flight: messages are being stored and receipted as it dies.
		this.server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		sending.set(false);
		clients.shutdown();
		assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

		this.server = start(port);
		List<JsonNode> stored = history(port);
		Set<String> contents = new HashSet<>();
		for (JsonNode message : stored) {
			contents.add(message.get("content").asString());
		}
		Set<String> lost = new HashSet<>(receipted);
		lost.removeAll(contents);
		assertThat(lost).as("receipted messages missing after the restart (of %d receipted)", receipted.size())
			.isEmpty();
		for (int i = 0; i < stored.size(); i++) {
			assertThat(stored.get(i).get("seq").asLong()).as("seq without gaps or repeats").isEqualTo(i + 1);
		}
	}

	@Test
	void aSecondServerOnTheSameFilesSaysWhatToDoInOneLine() throws Exception {
		this.server = start(freePort());
		int port = freePort();
		Process second = launch(port);
		assertThat(second.waitFor(90, TimeUnit.SECONDS)).as("the second server gives up").isTrue();
		assertThat(second.exitValue()).isEqualTo(1);
		String log = java.nio.file.Files.readString(this.data.resolve("server-" + port + ".log"));
		assertThat(log).contains("The embedded database file is in use by another process")
			.contains("PARLEY_DB_URL")
			.as("no stack trace")
			.doesNotContain("\tat org.h2");
	}

	private static void send(int port, String user, Set<String> receipted, AtomicBoolean sending) {
		try (RawStompClient client = RawStompClient.connected(Transport.WEBSOCKET, port, TestTokens.valid(user))) {
			client.send("SUBSCRIBE", "", "id:errors", "destination:/user/queue/errors");
			client.send("SEND", "{\"room\":\"crash\"}", "destination:/app/chat.join", "receipt:join");
			client.nextFrameMatching((frame) -> frame.startsWith("RECEIPT"));
			for (int i = 0; sending.get(); i++) {
				String content = user + "-" + i;
				client.send("SEND",
						"{\"room\":\"crash\",\"content\":\"" + content + "\",\"clientMessageId\":\"" + content + "\"}",
						"destination:/app/chat.send", "receipt:" + content);
				String frame;
				do {
					frame = client.pollFrame(Duration.ofSeconds(10));
				}
				while (frame != null && !frame.startsWith("RECEIPT") && !frame.startsWith("ERROR"));
				if (frame == null || !frame.contains("receipt-id:" + content)) {
					return;
				}
				receipted.add(content);
			}
		}
		catch (Exception ex) {
			// The server died under this client: what it had receipted is what counts.
		}
	}

	private Process start(int port) throws Exception {
		Process process = launch(port);
		TestHttp http = TestHttp.on(port);
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
			assertThat(process.isAlive()).as("the server process is running").isTrue();
			try {
				return http.get("/actuator/health/readiness").statusCode() == 200;
			}
			catch (UncheckedIOException ex) {
				// Not listening yet.
				return false;
			}
		});
		return process;
	}

	private Process launch(int port) throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				"dev.parley.ParleyApplication", "--server.port=" + port,
				"--spring.datasource.url=jdbc:h2:file:" + this.data.resolve("parley"), "--parley.limits.send-rate=1000",
				"--parley.limits.send-burst=1000", "--parley.rooms.leave-grace=0s");
		builder.environment().put("PARLEY_SECURITY_JWT_SECRET", TestTokens.SECRET);
		builder.redirectErrorStream(true).redirectOutput(new File(this.data.toFile(), "server-" + port + ".log"));
		return builder.start();
	}

	/** Every stored message of the room, oldest first, through the REST history. */
	private static List<JsonNode> history(int port) {
		List<JsonNode> messages = new ArrayList<>();
		TestHttp http = TestHttp.on(port);
		long after = 0;
		while (true) {
			HttpResponse<String> response = http.get("/api/rooms/crash/messages?after=" + after + "&limit=200",
					TestTokens.valid("auditor"));
			assertThat(response.statusCode()).isEqualTo(200);
			JsonNode page = Json.parse(response.body());
			if (page.isEmpty()) {
				return messages;
			}
			page.forEach(messages::add);
			after = page.get(page.size() - 1).get("seq").asLong();
		}
	}

	private static int freePort() throws Exception {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
