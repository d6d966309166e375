package dev.parley.account;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first admin, created from configuration, reaches the operator endpoints; a plain
 * user and an anonymous caller reach only health.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "parley.accounts.admin.username=boss", "parley.accounts.admin.password=Chief-secret-1" })
class AdminAccessIntegrationTests {

	@LocalServerPort
	int port;

	@Test
	void onlyTheAdminReachesActuatorBeyondHealth() throws Exception {
		String admin = login("boss", "Chief-secret-1");
		assertThat(post("/api/auth/register", "{\"username\":\"plainuser\",\"password\":\"correct horse\"}", null)
			.statusCode()).isIn(201, 409);
		String user = login("plainuser", "correct horse");
		for (String path : new String[] { "/actuator/info", "/actuator/metrics", "/actuator/prometheus" }) {
			assertThat(get(path, admin).statusCode()).as(path + " as admin").isEqualTo(200);
			assertThat(get(path, user).statusCode()).as(path + " as user").isEqualTo(403);
			assertThat(get(path, null).statusCode()).as(path + " anonymous").isEqualTo(401);
		}
		String info = get("/actuator/info", admin).body();
		assertThat(info).contains("\"build\"").contains("\"artifact\":\"parley\"").contains("\"git\"");
		assertThat(get("/actuator/parley", admin).statusCode()).isEqualTo(200);
		assertThat(get("/actuator/parley", user).statusCode()).isEqualTo(403);
		assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);
		assertThat(get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
	}

	private String login(String username, String password) throws Exception {
		HttpResponse<String> response = post("/api/auth/login",
				"{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}", null);
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body().replaceAll(".*\"accessToken\":\"([^\"]+)\".*", "$1");
	}

	private HttpResponse<String> get(String path, @Nullable String token) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String json, @Nullable String token) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
