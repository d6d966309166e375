package dev.parley.history;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * Makes a {@code RECEIPT} mean on the embedded H2 database what it means on PostgreSQL:
 * the message survives a crash of the process. H2 commits a transaction in memory and
 * writes it to its file up to {@code WRITE_DELAY} (500 ms) later, so a {@code kill -9}
 * lost the messages receipted in the last half second, and their {@code seq} numbers were
 * handed out again after the restart. {@code SET WRITE_DELAY 0} writes each commit to the
 * file before the commit returns (to the operating system, which keeps it through a crash
 * of the process; a power cut needs PostgreSQL). Group commit keeps the cost to one write
 * per batch. The setting is persistent in the database file, and set on every start
 * whatever the configured URL.
 */
@Component
class EmbeddedDurability implements InitializingBean {

	private static final Log logger = LogFactory.getLog(EmbeddedDurability.class);

	private final DataSource dataSource;

	EmbeddedDurability(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	@Override
	public void afterPropertiesSet() throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			if (!"H2".equals(connection.getMetaData().getDatabaseProductName())) {
				return;
			}
			try (Statement statement = connection.createStatement()) {
				statement.execute("SET WRITE_DELAY 0");
			}
			logger.debug("H2 writes every commit before it returns (WRITE_DELAY 0)");
		}
	}

}
