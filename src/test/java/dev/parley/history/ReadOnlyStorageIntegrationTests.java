package dev.parley.history;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.parley.ParleyApplication;
import dev.parley.support.TestHttp;
import dev.parley.support.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database that answers but refuses writes (here an H2 file opened read-only) makes the
 * node not ready: it would refuse every message.
 */
class ReadOnlyStorageIntegrationTests {

	@TempDir
	Path data;

	@Test
	void aReadOnlyDatabaseMakesTheNodeNotReady() throws Exception {
		String url = "jdbc:h2:file:" + this.data.resolve("parley");
		try (ConfigurableApplicationContext writable = start(url)) {
			assertThat(readiness(writable)).isEqualTo(200);
		}
		try (ConfigurableApplicationContext readOnly = start(url + ";ACCESS_MODE_DATA=r")) {
			assertThat(readiness(readOnly)).isEqualTo(503);
			HttpResponse<String> health = TestHttp.on(readOnly).get("/actuator/health/readiness");
			assertThat(health.body()).contains("\"storage\":{\"status\":\"DOWN\"");
		}
	}

	private static ConfigurableApplicationContext start(String url) {
		return new SpringApplicationBuilder(ParleyApplication.class).run("--server.port=0",
				"--spring.datasource.url=" + url, "--management.endpoint.health.group.readiness.show-components=always",
				"--parley.security.jwt.secret=" + TestTokens.SECRET);
	}

	private static int readiness(ConfigurableApplicationContext context) {
		return TestHttp.on(context).get("/actuator/health/readiness").statusCode();
	}

}
