package dev.parley.account;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.parley.support.Json;
import dev.parley.support.TestHttp;

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
		assertThat(
				http().post("/api/auth/register", "{\"username\":\"plainuser\",\"password\":\"correct horse\"}", null)
					.statusCode())
			.isEqualTo(201);
		String user = login("plainuser", "correct horse");
		for (String path : new String[] { "/actuator/info", "/actuator/metrics", "/actuator/prometheus" }) {
			assertThat(http().get(path, admin).statusCode()).as(path + " as admin").isEqualTo(200);
			assertThat(http().get(path, user).statusCode()).as(path + " as user").isEqualTo(403);
			assertThat(http().get(path).statusCode()).as(path + " anonymous").isEqualTo(401);
		}
		String info = http().get("/actuator/info", admin).body();
		assertThat(info).contains("\"build\"").contains("\"artifact\":\"parley\"").contains("\"git\"");
		assertThat(http().get("/actuator/parley", admin).statusCode()).isEqualTo(200);
		assertThat(http().get("/actuator/parley", user).statusCode()).isEqualTo(403);
		HttpResponse<String> health = http().get("/actuator/health");
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
		assertThat(health.headers().firstValue("X-Frame-Options")).hasValue("DENY");
		assertThat(health.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
		assertThat(health.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
				(policy) -> assertThat(policy).contains("default-src 'self'").contains("frame-ancestors 'none'"));
		assertThat(http().get("/actuator/health/liveness").statusCode()).isEqualTo(200);
	}

	private String login(String username, String password) {
		HttpResponse<String> response = http().post("/api/auth/login",
				"{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}", null);
		assertThat(response.statusCode()).isEqualTo(200);
		return Json.accessToken(response.body());
	}

	private TestHttp http() {
		return TestHttp.on(this.port);
	}

}
