package dev.parley.messaging;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;

/**
 * Bounds how long a silent connection lives, whatever the client negotiated: a session whose client sends no
 * heart-beats ({@code heart-beat:0,...} on {@code CONNECT}) is closed with 1008 once nothing at all has come from
 * it for {@code parley.websocket.idle-timeout}. Sessions with heart-beats are watched by the broker, which closes
 * them after a few missed ones; without this, a client that negotiated none and went away without a close (a
 * half-open connection) stayed online for ever.
 * <p>
 * One sweep, every quarter of the timeout, reads each session's time of last frame; a frame costs one clock read.
 */
class IdleSessions implements ChannelInterceptor {

	private static final Log logger = LogFactory.getLog(IdleSessions.class);

	static final CloseStatus IDLE = CloseStatus.POLICY_VIOLATION.withReason("Idle: no frame and no heart-beat");

	private static final String WATCHED = IdleSessions.class.getName() + ".watched";

	private final Duration timeout;

	private final Map<String, Watch> sessions = new ConcurrentHashMap<>();

	IdleSessions(Duration timeout) {
		this.timeout = timeout;
	}

	/** A session's last frame, and whether it is held to the timeout (its client sends no heart-beats). */
	private static final class Watch {

		final WebSocketSession session;

		volatile long lastRead = System.nanoTime();

		volatile boolean heldToTimeout;

		Watch(WebSocketSession session) {
			this.session = session;
		}

	}

	WebSocketHandler decorate(WebSocketHandler handler) {
		return new WebSocketHandlerDecorator(handler) {

			@Override
			public void afterConnectionEstablished(WebSocketSession session) throws Exception {
				Watch watch = new Watch(session);
				session.getAttributes().put(WATCHED, watch);
				IdleSessions.this.sessions.put(session.getId(), watch);
				super.afterConnectionEstablished(session);
			}

			@Override
			public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) throws Exception {
				if (session.getAttributes().get(WATCHED) instanceof Watch watch) {
					watch.lastRead = System.nanoTime();
				}
				super.handleMessage(session, message);
			}

			@Override
			public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) throws Exception {
				IdleSessions.this.sessions.remove(session.getId());
				super.afterConnectionClosed(session, closeStatus);
			}

		};
	}

	/** Notes at {@code CONNECT} whether the client will send heart-beats. */
	@Override
	public @Nullable Message<?> preSend(Message<?> message, MessageChannel channel) {
		StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		if (accessor == null || accessor.getMessageType() != SimpMessageType.CONNECT) {
			return message;
		}
		Map<String, Object> attributes = accessor.getSessionAttributes();
		if (attributes != null && attributes.get(WATCHED) instanceof Watch watch) {
			long[] heartbeat = accessor.getHeartbeat();
			watch.heldToTimeout = heartbeat.length < 1 || heartbeat[0] <= 0;
		}
		return message;
	}

	void start(TaskScheduler scheduler) {
		scheduler.scheduleWithFixedDelay(this::sweep, this.timeout.dividedBy(4));
	}

	void sweep() {
		long now = System.nanoTime();
		for (Watch watch : this.sessions.values()) {
			if (watch.heldToTimeout && now - watch.lastRead > this.timeout.toNanos()) {
				this.sessions.remove(watch.session.getId());
				try {
					watch.session.close(IDLE);
				}
				catch (Exception ex) {
					logger.debug("Closing an idle session failed", ex);
				}
			}
		}
	}

}
