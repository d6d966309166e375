package dev.parley.security.battery;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.parley.support.TestHttp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A SockJS session over HTTP is a path, {@code /ws/{server}/{session}}, that later
 * requests write to and read from. Whoever learns the path of somebody else's session
 * must not be able to use it.
 */
class SockJsSessionIntegrationTests extends BatteryServer {

	/** One client for a whole test, as a browser's requests would share it. */
	private TestHttp http;

	@BeforeEach
	void client() {
		this.http = TestHttp.on(this.port);
	}

	@Test
	void aSessionOpenedWithATokenOnTheUrlServesNoRequestWithoutIt() throws Exception {
		String session = "/ws/000/victim-url";
		String token = "?access_token=" + token("victim");
		assertThat(post(session + "/xhr" + token, "").body()).isEqualTo("o\n");
		assertThat(post(session + "/xhr_send" + token, frame("CONNECT\\naccept-version:1.2\\n\\n")).statusCode())
			.isEqualTo(204);
		assertThat(post(session + "/xhr" + token, "").body()).startsWith("a[\"CONNECTED\\n")
			.contains("user-name:victim");

		HttpResponse<String> write = post(session + "/xhr_send",
				frame("SEND\\ndestination:/app/chat\\n\\n{\\\"text\\\":\\\"as the victim\\\"}"));
		assertThat(write.statusCode()).as("a write without the token").isEqualTo(404);
		assertThat(post(session + "/xhr", "").statusCode()).as("a read without the token").isEqualTo(404);
		assertThat(post(session + "/xhr_send?access_token=" + token("mallory"),
				frame("SEND\\ndestination:/app/chat\\n\\n{\\\"text\\\":\\\"as the victim\\\"}"))
			.statusCode()).as("a write with another user's token").isEqualTo(404);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/xhr_streaming", "/xhr_streaming/" })
	void aSessionOpenedWithoutATokenCannotBeAuthenticatedByConnect(String transport) throws Exception {
		String session = "/ws/000/victim-connect" + transport.length();
		HttpResponse<InputStream> stream = this.http.send(
				this.http.request(session + transport, null).POST(HttpRequest.BodyPublishers.noBody()).build(),
				HttpResponse.BodyHandlers.ofInputStream());
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
			assertThat(reader.readLine()).as("the prelude").matches("h+");
			assertThat(reader.readLine()).isEqualTo("o");
			assertThat(post(session + "/xhr_send",
					frame("CONNECT\\naccept-version:1.2\\nAuthorization:Bearer " + token("victim") + "\\n\\n"))
				.statusCode()).isEqualTo(204);
			String answer = reader.readLine();
			assertThat(answer).startsWith("a[\"ERROR\\n")
				.contains("Unauthorized - over SockJS HTTP transports send the token on the URL");
			assertThat(reader.readLine()).as("then the session closes").startsWith("c[");
		}
	}

	private HttpResponse<String> post(String path, String body) {
		return this.http.send(this.http.request(path, null).POST(HttpRequest.BodyPublishers.ofString(body)).build());
	}

	/**
	 * One STOMP frame, already JSON-escaped, as SockJS sends it: a JSON array of strings.
	 */
	private static String frame(String escaped) {
		return "[\"" + escaped + "\\u0000\"]";
	}

}
