package dev.parley.history;

import java.nio.file.AccessDeniedException;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

class StorageFailureAnalyzerTests {

	private final StorageFailureAnalyzer analyzer = new StorageFailureAnalyzer();

	@Test
	void anH2FileInUseSaysWhatToDo() {
		SQLException inUse = new SQLException("Database may be already in use: \"/data/parley.mv.db\"", "90020", 90020);
		FailureAnalysis analysis = this.analyzer.analyze(new BeanCreationException("flyway", "failed", inUse));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).contains("in use by another process");
		assertThat(analysis.getAction()).contains("PARLEY_DB_URL");
	}

	@Test
	void anUnwritableDataDirectorySaysWhatToDo() {
		AccessDeniedException denied = new AccessDeniedException("./data/jwt-secret");
		FailureAnalysis analysis = this.analyzer.analyze(new IllegalStateException("signing key", denied));
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).isEqualTo("Parley may not write ./data/jwt-secret.");
		assertThat(analysis.getAction()).contains("writable");
	}

	@Test
	void otherFailuresAreLeftToBoot() {
		assertThat(this.analyzer.analyze(new IllegalStateException("something else"))).isNull();
	}

}
