package dev.parley.history;

import java.sql.Connection;
import java.sql.DriverManager;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same guarantees on the local PostgreSQL (127.0.0.1:5432, database {@code test}),
 * with the {@code postgres} profile as production uses it. Without PostgreSQL the test is
 * skipped, except under {@code CI=true}, where that fails the build.
 */
@SpringBootTest(
		properties = { "PARLEY_DB_URL=" + PostgresMessageWriterIntegrationTests.URL, "PARLEY_DB_USER=postgres" })
@ActiveProfiles("postgres")
class PostgresMessageWriterIntegrationTests {

	static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

	@Autowired
	MessageWriter writer;

	@Autowired
	MessageStore store;

	@BeforeAll
	static void requirePostgres() {
		try (Connection connection = DriverManager.getConnection(URL, "postgres", "")) {
			assertThat(connection.isValid(2)).isTrue();
		}
		catch (Exception ex) {
			if ("true".equals(System.getenv("CI"))) {
				throw new IllegalStateException("PostgreSQL is required under CI=true but " + URL + " is unreachable",
						ex);
			}
			Assumptions.abort("PostgreSQL not reachable at " + URL + ": " + ex.getMessage());
		}
	}

	@Test
	void concurrentSendersGetGaplessUniqueSequenceNumbers() throws Exception {
		MessageWriterConcurrencyTests.concurrentSendersGetGaplessUniqueSequenceNumbers(this.writer, this.store,
				"pg-" + System.nanoTime());
	}

}
