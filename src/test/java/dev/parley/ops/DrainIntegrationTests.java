package dev.parley.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import dev.parley.ParleyApplication;
import dev.parley.support.Handshakes;
import dev.parley.support.RawStompClient;
import dev.parley.support.TestHttp;
import dev.parley.support.TestTokens;
import dev.parley.support.Transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shutting a node down: every client is closed with 1012 in batches spread over the
 * window, new clients are turned away meanwhile, and every message that got its receipt
 * is stored.
 */
@ExtendWith(OutputCaptureExtension.class)
class DrainIntegrationTests {

	@Test
	void shutdownClosesClientsWith1012InSpreadBatchesAndLosesNothing(CapturedOutput output) throws Exception {
		// A server of its own, since the test shuts it down.
		ConfigurableApplicationContext context = new SpringApplicationBuilder(ParleyApplication.class).run(
				"--server.port=0", "--parley.drain.window=2s", "--parley.drain.batches=4",
				"--spring.datasource.url=jdbc:h2:mem:drain;DB_CLOSE_DELAY=-1");
		int port = TestHttp.port(context);
		List<JdkClient> clients = new ArrayList<>();
		for (int i = 0; i < 16; i++) {
			JdkClient client = new JdkClient(port);
			client.send("CONNECT\naccept-version:1.2\nhost:localhost\nAuthorization:Bearer "
					+ TestTokens.valid("drained-" + i) + "\n\n\0");
			assertThat(client.next()).startsWith("CONNECTED");
			client.send("SEND\ndestination:/app/chat.join\nreceipt:j\n\n{\"room\":\"drain\"}\0");
			assertThat(client.next()).contains("receipt-id:j");
			client.send("SEND\ndestination:/app/chat.send\nreceipt:m\n\n{\"room\":\"drain\",\"content\":\"before " + i
					+ "\"}\0");
			assertThat(client.next()).contains("receipt-id:m");
			clients.add(client);
		}

		// How many clients are closed, watched as it changes: 4 batches of 4 in a 2 s
		// window, one in each 500 ms slot at a random moment in its first half, so that
		// each count lasts 250 ms at least.
		Set<Integer> closedCounts = new ConcurrentSkipListSet<>();
		ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
		watcher.scheduleAtFixedRate(() -> closedCounts.add(closed(clients)), 0, 5, TimeUnit.MILLISECONDS);
		Thread shutdown = new Thread(context::close, "test-shutdown");
		try {
			shutdown.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> closed(clients) > 0);
			assertThat(Handshakes.refusalStatus(() -> RawStompClient.open(Transport.WEBSOCKET, port, "")))
				.as("a new client while the node drains")
				.isEqualTo(503);
			await().atMost(Duration.ofSeconds(10)).until(() -> closedCounts.contains(clients.size()));
		}
		finally {
			watcher.shutdownNow();
		}
		for (JdkClient client : clients) {
			assertThat(client.closeCode).as("closed by the drain, not by the server stopping (1001)")
				.isCompletedWithValue(1012);
		}
		assertThat(closedCounts).as("closed 4 at a time, batch after batch").contains(4, 8, 12);
		assertThat(output.getAll()).contains("Draining 16 session(s) in 4 batch(es) over PT2S");
		shutdown.join(30_000);
		assertThat(shutdown.isAlive()).as("the node stopped").isFalse();
		try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:drain", "sa", "");
				ResultSet rs = connection.createStatement()
					.executeQuery("select count(*) from room_message where room = 'drain' and type = 'CHAT'")) {
			rs.next();
			assertThat(rs.getInt(1)).isEqualTo(16);
		}
		assertThat(output.getAll()).as("no error per session while the node stops")
			.doesNotContain("TaskRejectedException");
	}

	private static int closed(List<JdkClient> clients) {
		return (int) clients.stream().filter((client) -> client.closeCode.isDone()).count();
	}

	/**
	 * The JDK's WebSocket client, which reports the close code as sent (Tomcat's Jakarta
	 * client rejects 1012 as invalid and reports 1002 instead).
	 */
	static final class JdkClient implements WebSocket.Listener {

		final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

		private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();

		private final StringBuilder partial = new StringBuilder();

		private final WebSocket socket;

		JdkClient(int port) throws Exception {
			this.socket = HttpClient.newHttpClient()
				.newWebSocketBuilder()
				.subprotocols("v12.stomp")
				.buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), this)
				.get(10, TimeUnit.SECONDS);
		}

		void send(String frame) throws Exception {
			this.socket.sendText(frame, true).get(5, TimeUnit.SECONDS);
		}

		String next() throws InterruptedException {
			String frame = this.frames.poll(10, TimeUnit.SECONDS);
			assertThat(frame).isNotNull();
			return frame;
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				this.frames.add(this.partial.toString());
				this.partial.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.closeCode.complete(statusCode);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.closeCode.completeExceptionally(error);
		}

	}

}
