package dev.parley.history;

import org.junit.jupiter.api.BeforeAll;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The storage contract again, on the local PostgreSQL with the {@code postgres} profile.
 * Skipped without PostgreSQL, except under {@code CI=true}, where that fails the build.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "parley.limits.send-rate=1000", "parley.limits.send-burst=1000",
				"PARLEY_DB_URL=" + PostgresMessageWriterIntegrationTests.URL, "PARLEY_DB_USER=postgres" })
@ActiveProfiles("postgres")
class PostgresStorageIntegrationTests extends StorageIntegrationTests {

	@BeforeAll
	static void requirePostgres() {
		PostgresMessageWriterIntegrationTests.requirePostgres();
	}

}
