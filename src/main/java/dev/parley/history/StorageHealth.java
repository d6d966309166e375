package dev.parley.history;

import java.util.Locale;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Whether messages can be stored, for readiness: a database that answers queries but
 * refuses writes (a read-only H2 file, a PostgreSQL standby) kept the node ready while it
 * refused every message. DOWN while the database is read-only or does not answer, and for
 * a moment after a write failed.
 */
@Component("storage")
class StorageHealth implements HealthIndicator {

	private final JdbcClient jdbc;

	private final MessageWriter writer;

	StorageHealth(JdbcClient jdbc, MessageWriter writer) {
		this.jdbc = jdbc;
		this.writer = writer;
	}

	@Override
	public Health health() {
		if (this.writer.isFailingFast()) {
			return Health.down().withDetail("reason", "a write failed just now").build();
		}
		try {
			if (isReadOnly()) {
				return Health.down().withDetail("reason", "the database is read-only").build();
			}
		}
		catch (DataAccessException ex) {
			return Health.down().withDetail("reason", "the database did not answer").build();
		}
		return Health.up().build();
	}

	private boolean isReadOnly() {
		Boolean readOnly = this.jdbc.sql("select 1").query((rs, row) -> {
			// H2 reports a read-only database file here; PostgreSQL a standby only
			// through its setting.
			java.sql.Connection connection = rs.getStatement().getConnection();
			if (connection.getMetaData().isReadOnly()) {
				return true;
			}
			if (connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres")) {
				try (var statement = connection.createStatement();
						var result = statement.executeQuery("show transaction_read_only")) {
					return result.next() && "on".equals(result.getString(1));
				}
			}
			return false;
		}).single();
		return Boolean.TRUE.equals(readOnly);
	}

}
