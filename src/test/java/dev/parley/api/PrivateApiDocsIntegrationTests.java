package dev.parley.api;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.parley.support.TestHttp;
import dev.parley.support.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

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
	void theDescriptionNeedsAToken() {
		TestHttp http = TestHttp.on(this.port);
		for (String path : new String[] { "/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/swagger-config",
				"/swagger-ui/index.html" }) {
			assertThat(http.get(path).statusCode()).as(path + " without a token").isEqualTo(401);
			assertThat(http.get(path, TestTokens.valid("reader")).statusCode()).as(path + " with one").isEqualTo(200);
		}
	}

}
