package dev.parley.history;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns the start-up failures an operator meets with the embedded database into one line
 * saying what to do, instead of a long stack trace: the H2 file already in use by another
 * process, and a data directory Parley may not write to. Registered in
 * {@code META-INF/spring.factories}.
 */
public class StorageFailureAnalyzer implements FailureAnalyzer {

	/** H2's "Database may be already in use". */
	private static final int H2_DATABASE_ALREADY_OPEN = 90020;

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && sql.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
				return new FailureAnalysis(
						"The embedded database file is in use by another process (another Parley on the same ./data?).",
						"Stop the other process, or give this one its own database with PARLEY_DB_URL "
								+ "(for several nodes, use PostgreSQL: SPRING_PROFILES_ACTIVE=postgres).",
						failure);
			}
			if (cause instanceof AccessDeniedException denied
					|| (cause instanceof FileSystemException files && isPermission(files))) {
				String file = ((FileSystemException) cause).getFile();
				return new FailureAnalysis("Parley may not write " + file + ".",
						"Make its data directory (./data unless configured) writable by the user running Parley, "
								+ "or point PARLEY_DB_URL and PARLEY_SECURITY_JWT_SECRETFILE elsewhere.",
						failure);
			}
		}
		return null;
	}

	private static boolean isPermission(FileSystemException ex) {
		return ex.getReason() != null && ex.getReason().toLowerCase(java.util.Locale.ROOT).contains("permission");
	}

}
