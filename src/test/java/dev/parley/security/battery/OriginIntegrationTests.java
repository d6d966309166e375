package dev.parley.security.battery;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.socket.WebSocketHttpHeaders;

import dev.parley.support.Handshakes;
import dev.parley.support.RawStompClient;
import dev.parley.support.TestHttp;
import dev.parley.support.Transport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The origin allow-list ({@code https://chat.example.com} here), on the native endpoint
 * and on SockJS.
 */
@ExtendWith(OutputCaptureExtension.class)
class OriginIntegrationTests extends BatteryServer {

	@ParameterizedTest(name = "Origin {0}: allowed={1}")
	@CsvSource(nullValues = "MISSING",
			value = { "https://chat.example.com, true", "MISSING, true", "https://evil.example, false", "null, false",
					"https://chat.example.com.evil.example, false", "https://evilchat.example.com, false",
					"http://chat.example.com, false", "https://chat.example.com:8443, false",
					"https://sub.chat.example.com, false" })
	void nativeHandshake(@Nullable String origin, boolean allowed) throws Exception {
		WebSocketHttpHeaders headers = new WebSocketHttpHeaders();
		if (origin != null) {
			headers.setOrigin(origin);
		}
		if (allowed) {
			try (RawStompClient client = RawStompClient.open(Transport.WEBSOCKET, this.port, "", headers)) {
				client.connect("Authorization:Bearer " + token("alice"));
				assertThat(client.nextFrame()).startsWith("CONNECTED\n");
			}
		}
		else {
			assertThat(Handshakes.refusalStatus(() -> RawStompClient.open(Transport.WEBSOCKET, this.port, "", headers)))
				.isEqualTo(403);
		}
	}

	@ParameterizedTest(name = "Origin {0}: allowed={1}")
	@CsvSource(nullValues = "MISSING",
			value = { "https://chat.example.com, true", "MISSING, true", "https://evil.example, false", "null, false",
					"https://chat.example.com.evil.example, false", "https://evilchat.example.com, false",
					"http://chat.example.com, false" })
	void sockJs(@Nullable String origin, boolean allowed) throws Exception {
		for (String path : new String[] { "/ws/info", "/ws/123/abcdef/xhr_streaming" }) {
			HttpRequest.Builder request = TestHttp.on(this.port)
				.request(path + "?access_token=" + token("alice"), null);
			if (path.endsWith("xhr_streaming")) {
				request.POST(HttpRequest.BodyPublishers.noBody());
			}
			if (origin != null) {
				request.header("Origin", origin);
			}
			int status = status(request.build());
			if (allowed) {
				assertThat(status).as(path).isEqualTo(200);
			}
			else {
				assertThat(status).as(path).isEqualTo(403);
			}
		}
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/ws", "/ws/info", "/ws/123/lookalike/xhr_streaming", "/api/rooms", "/actuator/health" })
	void aLookAlikeOriginWhosePortIsNoNumberIsA403WithoutAStackTrace(String path, CapturedOutput output)
			throws Exception {
		for (String origin : new String[] { "http://127.0.0.1:" + this.port + ".evil.example",
				"https://chat.example.com:443.evil.example", "https://chat.example.com:99999", "not an origin" }) {
			HttpRequest.Builder request = TestHttp.on(this.port).request(path, null).header("Origin", origin);
			if (path.equals("/ws")) {
				request.header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").header("Sec-WebSocket-Version", "13");
			}
			if (path.endsWith("xhr_streaming")) {
				request.POST(HttpRequest.BodyPublishers.noBody());
			}
			HttpResponse<String> response = TestHttp.on(this.port).send(request.build());
			assertThat(response.statusCode()).as(origin + " on " + path).isEqualTo(403);
			assertThat(response.body()).contains("Malformed Origin header");
		}
		assertThat(output.getAll()).as("nothing logged about them")
			.doesNotContain("evil.example")
			.doesNotContain("not an origin");
	}

	/**
	 * The status as soon as the headers arrive: an accepted xhr_streaming response never
	 * ends.
	 */
	private int status(HttpRequest request) throws Exception {
		HttpResponse<InputStream> response = TestHttp.on(this.port)
			.send(request, HttpResponse.BodyHandlers.ofInputStream());
		response.body().close();
		return response.statusCode();
	}

}
