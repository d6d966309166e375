package dev.parley.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.parley.ParleyApplication;
import dev.parley.support.LocalServices;
import dev.parley.support.TestTokens;

/**
 * Parley nodes in {@code redis} mode for the multi-node tests: each its own application
 * context on a random port, on a PostgreSQL schema of the test's own.
 */
final class RedisNodes {

	private RedisNodes() {
	}

	/** Drops the schema and creates it again, empty. */
	static void freshSchema(String schema) throws Exception {
		try (Connection connection = DriverManager.getConnection(LocalServices.POSTGRES_URL, "postgres", "")) {
			connection.createStatement().execute("drop schema if exists " + schema + " cascade");
			connection.createStatement().execute("create schema " + schema);
		}
	}

	/**
	 * Starts a node; each of {@code settings} ({@code --name=value}) replaces the default
	 * of the same name, or adds to them.
	 */
	static ConfigurableApplicationContext start(String name, String schema, String... settings) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--parley.broker.mode=redis",
				"--parley.cluster.node-id=" + name, "--parley.cluster.heartbeat=300ms",
				"--spring.datasource.url=" + LocalServices.POSTGRES_URL + "?currentSchema=" + schema,
				"--spring.datasource.username=postgres", "--spring.flyway.schemas=" + schema,
				"--spring.flyway.default-schema=" + schema, "--parley.drain.window=0s",
				"--parley.limits.send-rate=1000", "--parley.limits.send-burst=1000",
				"--parley.security.jwt.secret=" + TestTokens.SECRET));
		for (String setting : settings) {
			String key = setting.substring(0, setting.indexOf('=') + 1);
			args.removeIf((arg) -> arg.startsWith(key));
			args.add(setting);
		}
		return new SpringApplicationBuilder(ParleyApplication.class).profiles("postgres")
			.run(args.toArray(String[]::new));
	}

}
