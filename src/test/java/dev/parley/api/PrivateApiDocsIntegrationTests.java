package dev.parley.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import dev.parley.support.TestTokens;

/**
 * With {@code parley.api-docs.public-access=false}, the API description needs a token;
 * any valid one will do.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "parley.api-docs.public-access=false")
class PrivateApiDocsIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void theDescriptionNeedsAToken() throws Exception {
		for (String path : new String[] { "/v3/api-docs", "/swagger-ui/index.html" }) {
			assertThat(get(path, null).statusCode()).as(path + " without a token").isEqualTo(401);
			assertThat(get(path, TestTokens.valid("reader")).statusCode()).as(path + " with one").isEqualTo(200);
		}
	}

	private HttpResponse<String> get(String path, String token) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
