package dev.parley.support;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;

import org.junit.jupiter.api.Assumptions;

/**
 * The services some tests need on this machine: skipped without them, with the reason,
 * except under {@code CI=true}, where a missing service fails the build.
 */
public final class LocalServices {

	public static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";

	private LocalServices() {
	}

	public static void requirePostgres() {
		try (Connection connection = DriverManager.getConnection(POSTGRES_URL, "postgres", "")) {
			if (!connection.isValid(2)) {
				throw new IllegalStateException("not valid");
			}
		}
		catch (Exception ex) {
			missing("PostgreSQL at " + POSTGRES_URL, ex);
		}
	}

	public static void requireRedis() {
		requirePort("Redis", 6379);
	}

	public static void requirePort(String service, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
		}
		catch (Exception ex) {
			missing(service + " at 127.0.0.1:" + port, ex);
		}
	}

	private static void missing(String service, Exception ex) {
		if ("true".equals(System.getenv("CI"))) {
			throw new IllegalStateException(service + " is required under CI=true but is unreachable", ex);
		}
		Assumptions.abort(service + " is not reachable: " + ex.getMessage());
	}

}
