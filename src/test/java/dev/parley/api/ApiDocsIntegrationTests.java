package dev.parley.api;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.parley.support.Json;
import dev.parley.support.TestHttp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI description and Swagger UI are served, without a token by default, and
 * describe the push API.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiDocsIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void theOpenApiDescriptionListsThePushApiAndBearerAuthentication() throws Exception {
		HttpResponse<String> docs = get("/v3/api-docs");
		assertThat(docs.statusCode()).isEqualTo(200);
		JsonNode api = Json.parse(docs.body());
		assertThat(api.get("info").get("title").asString()).isEqualTo("Parley REST API");
		assertThat(api.get("paths").has("/api/users/{username}/notifications")).isTrue();
		assertThat(api.get("paths").has("/api/announcements")).isTrue();
		assertThat(api.get("paths").has("/api/auth/service-token")).isTrue();
		assertThat(api.get("components").get("securitySchemes").get("bearer").get("scheme").asString())
			.isEqualTo("bearer");
		HttpResponse<String> ui = get("/swagger-ui/index.html");
		assertThat(ui.statusCode()).isEqualTo(200);
		assertThat(ui.body()).contains("swagger-ui");
	}

	private HttpResponse<String> get(String path) {
		return TestHttp.on(this.port).get(path);
	}

}
