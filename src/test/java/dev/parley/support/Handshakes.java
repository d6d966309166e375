package dev.parley.support;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.websocket.DeploymentException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.web.client.HttpStatusCodeException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The HTTP status a server refused a WebSocket or SockJS handshake with, as the client
 * reports it: Tomcat's WebSocket client names it in its exception's message (a 401 apart,
 * since it tries to authenticate), SockJS's HTTP client in its exception.
 */
public final class Handshakes {

	private static final Pattern TOMCAT_REFUSAL = Pattern
		.compile("The HTTP response from the server \\[(\\d{3})\\] did not permit the HTTP upgrade to WebSocket"
				+ "|Failed to handle HTTP response code \\[(\\d{3})\\]\\. .*");

	private Handshakes() {
	}

	/**
	 * Opens a session that the server must refuse.
	 * @return the HTTP status of the refusal; anything but a refused handshake fails
	 */
	public static int refusalStatus(ThrowingCallable open) {
		Throwable thrown = catchThrowable(open);
		assertThat(thrown).as("the handshake is refused").isNotNull();
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(thrown);
		if (cause instanceof HttpStatusCodeException http) {
			return http.getStatusCode().value();
		}
		if (cause instanceof DeploymentException && cause.getMessage() != null) {
			Matcher refusal = TOMCAT_REFUSAL.matcher(cause.getMessage());
			if (refusal.matches()) {
				return Integer.parseInt((refusal.group(1) != null) ? refusal.group(1) : refusal.group(2));
			}
		}
		throw new AssertionError("Not a refused handshake", thrown);
	}

}
