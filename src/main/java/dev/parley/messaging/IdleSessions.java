package dev.parley.messaging;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.CloseStatus;

/**
 * Bounds how long a silent connection lives, whatever the client negotiated: a session
 * whose client sends no heart-beats ({@code heart-beat:0,...} on {@code CONNECT}) is
 * closed with 1008 once nothing at all has come from it for
 * {@code parley.websocket.idle-timeout}. Sessions with heart-beats are watched by the
 * broker, which closes them after a few missed ones; without this, a client that
 * negotiated none and went away without a close (a half-open connection) stayed online
 * for ever.
 * <p>
 * One sweep, every quarter of the timeout, reads each connection's time of last frame
 * ({@link Connections}).
 */
class IdleSessions implements ChannelInterceptor {

	private static final Log logger = LogFactory.getLog(IdleSessions.class);

	static final CloseStatus IDLE = CloseStatus.POLICY_VIOLATION.withReason("Idle: no frame and no heart-beat");

	private final Duration timeout;

	private final Connections connections;

	IdleSessions(Duration timeout, Connections connections) {
		this.timeout = timeout;
		this.connections = connections;
	}

	/** Notes at {@code CONNECT} whether the client will send heart-beats. */
	@Override
	public @Nullable Message<?> preSend(Message<?> message, MessageChannel channel) {
		StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (accessor == null || accessor.getMessageType() != SimpMessageType.CONNECT
				|| accessor.getSessionId() == null) {
			return message;
		}
		Connections.Connection connection = this.connections.find(accessor.getSessionId());
		if (connection != null) {
			long[] heartbeat = accessor.getHeartbeat();
			connection.sendsHeartbeats(heartbeat.length > 0 && heartbeat[0] > 0);
		}
		return message;
	}

	void start(TaskScheduler scheduler) {
		scheduler.scheduleWithFixedDelay(this::sweep, this.timeout.dividedBy(4));
	}

	void sweep() {
		long now = System.nanoTime();
		for (Connections.Connection connection : this.connections.all()) {
			if (!connection.sendsHeartbeats() && now - connection.lastRead() > this.timeout.toNanos()) {
				// Not on the scheduler's thread, which the broker's heart-beats share: a
				// close may wait for a write.
				CompletableFuture.runAsync(() -> {
					try {
						connection.session().close(IDLE);
					}
					catch (Exception ex) {
						logger.debug("Closing an idle session failed", ex);
					}
				});
			}
		}
	}

}
