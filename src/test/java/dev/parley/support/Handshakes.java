package dev.parley.support;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.eclipse.jetty.websocket.core.exception.UpgradeException;

import org.springframework.web.client.HttpStatusCodeException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The HTTP status a server refused a WebSocket or SockJS handshake with, as the client
 * reports it: the Jakarta WebSocket client (Jetty's, on the test classpath beside the
 * server) in its {@link UpgradeException}, SockJS's HTTP client in its exception.
 */
public final class Handshakes {

	private Handshakes() {
	}

	/**
	 * Opens a session that the server must refuse.
	 * @return the HTTP status of the refusal; anything but a refused handshake fails
	 */
	public static int refusalStatus(ThrowingCallable open) {
		Throwable thrown = catchThrowable(open);
		assertThat(thrown).as("the handshake is refused").isNotNull();
		for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
			if (cause instanceof HttpStatusCodeException http) {
				return http.getStatusCode().value();
			}
			if (cause instanceof UpgradeException upgrade && upgrade.getResponseStatusCode() > 0) {
				return upgrade.getResponseStatusCode();
			}
		}
		throw new AssertionError("Not a refused handshake", thrown);
	}

}
