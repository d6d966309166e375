package dev.parley.security;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Half-sent requests (slowloris) that hold every connection the container allows must not
 * lock new clients out for long: Jetty answers a request silent for Parley's
 * {@code server.jetty.connection-idle-timeout} (5 s) with 408 and closes its side, and
 * frees the connection when the client closes its own or after one more idle timeout, so
 * new clients wait at most twice that. The connection limit is lowered to 30 so that a
 * test can reach it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "server.jetty.max-connections=30")
class SlowlorisIntegrationTests {

	@LocalServerPort
	int port;

	@Value("${server.jetty.connection-idle-timeout}")
	Duration idleTimeout;

	@Test
	void halfSentRequestsAtTheConnectionLimitDoNotLockNewClientsOut() throws Exception {
		List<Socket> attackers = new ArrayList<>();
		try {
			// Every connection the server takes, each stuck in its headers.
			for (int i = 0; i < 30; i++) {
				Socket socket = new Socket();
				socket.connect(new InetSocketAddress("127.0.0.1", this.port), 2000);
				OutputStream out = socket.getOutputStream();
				out.write("GET /actuator/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
					.getBytes(StandardCharsets.US_ASCII));
				out.flush();
				attackers.add(socket);
			}
			// A new client, which gives up after twice the idle timeout and a margin: it
			// is
			// let in when the first half-sent requests are dropped, where Jetty's own
			// default (30 s) would have kept it waiting half a minute.
			HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
			HttpResponse<String> health = client
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/health"))
					.timeout(this.idleTimeout.multipliedBy(2).plusSeconds(5))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(health.statusCode()).isEqualTo(200);
			assertThat(closedByServer(attackers.get(0))).as("the first half-sent request was dropped").isTrue();
		}
		finally {
			for (Socket socket : attackers) {
				socket.close();
			}
		}
	}

	private static boolean closedByServer(Socket socket) throws IOException {
		socket.setSoTimeout(10_000);
		try {
			// A 408 or nothing at all, then the end of the stream.
			byte[] buffer = new byte[4096];
			while (socket.getInputStream().read(buffer) != -1) {
				// Drain whatever the server said before closing.
			}
			return true;
		}
		catch (IOException ex) {
			return ex.getMessage() != null && ex.getMessage().contains("reset");
		}
	}

}
