package dev.parley.security;

import java.time.Duration;
import java.time.Instant;

import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;

/**
 * Closes a socket that has not had its {@code CONNECT} accepted within the timeout, so
 * idle unauthenticated sockets cannot pile up. Spring's own time-to-first-message check
 * only runs while other traffic flows.
 */
class ConnectTimeout extends WebSocketHandlerDecorator {

	static final CloseStatus NO_CONNECT = CloseStatus.POLICY_VIOLATION.withReason("No CONNECT in time");

	private final TaskScheduler scheduler;

	private final Duration timeout;

	ConnectTimeout(WebSocketHandler delegate, TaskScheduler scheduler, Duration timeout) {
		super(delegate);
		this.scheduler = scheduler;
		this.timeout = timeout;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) throws Exception {
		super.afterConnectionEstablished(session);
		this.scheduler.schedule(() -> closeIfNotConnected(session), Instant.now().plus(this.timeout));
	}

	private static void closeIfNotConnected(WebSocketSession session) {
		if (session.isOpen()
				&& !session.getAttributes().containsKey(StompAuthenticationInterceptor.CONNECTED_ATTRIBUTE)) {
			try {
				session.close(NO_CONNECT);
			}
			catch (Exception ex) {
				// Already closing: nothing left to do.
			}
		}
	}

}
