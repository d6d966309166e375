package dev.parley.messaging;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.SubscribableChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.messaging.SubProtocolWebSocketHandler;

/**
 * Gives every WebSocket session an {@link Outbox}: replaces Spring's
 * {@code subProtocolWebSocketHandler} with one that decorates its sessions with it
 * instead of Spring's {@code ConcurrentWebSocketSessionDecorator}. Written by hand
 * because Spring offers no hook for the session decorator. Also owns the writer threads
 * (SockJS sessions' blocking writes, and closes) and the timer that bounds a flush before
 * a close.
 */
@Component
class Outboxes implements BeanPostProcessor, BeanFactoryAware, DisposableBean {

	private static final String HANDLER = "subProtocolWebSocketHandler";

	private final ExecutorService writers = Executors.newCachedThreadPool(daemon("parley-writer-"));

	private final ScheduledExecutorService timer = Executors
		.newSingleThreadScheduledExecutor(daemon("parley-outbox-timer-"));

	private @Nullable BeanFactory beanFactory;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
		if (!HANDLER.equals(beanName) || bean.getClass() != SubProtocolWebSocketHandler.class) {
			return bean;
		}
		SubProtocolWebSocketHandler original = (SubProtocolWebSocketHandler) bean;
		BeanFactory beans = Objects.requireNonNull(this.beanFactory, "set before post-processing");
		Handler handler = new Handler(beans.getBean("clientInboundChannel", MessageChannel.class),
				beans.getBean("clientOutboundChannel", SubscribableChannel.class), this);
		handler.setPhase(original.getPhase());
		return handler;
	}

	Outbox outbox(WebSocketSession session, int sendTimeLimit, int bufferSizeLimit) {
		return new Outbox(session, sendTimeLimit, bufferSizeLimit, this.writers, this.timer);
	}

	@Override
	public void destroy() {
		this.timer.shutdownNow();
		this.writers.shutdown();
	}

	private static ThreadFactory daemon(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * Spring's handler, with each session behind an {@link Outbox}, and the in-memory
	 * broker's deliveries encoded once per broadcast ({@link MessageFrames}) instead of
	 * by Spring's STOMP handler once per subscriber.
	 */
	static final class Handler extends SubProtocolWebSocketHandler {

		private static final Log logger = LogFactory.getLog(Handler.class);

		private final Outboxes outboxes;

		private final MessageFrames frames = new MessageFrames();

		/** The open sessions, by id, as their outboxes. */
		private final Map<String, WebSocketSession> sessions = new ConcurrentHashMap<>();

		Handler(MessageChannel clientInboundChannel, SubscribableChannel clientOutboundChannel, Outboxes outboxes) {
			super(clientInboundChannel, clientOutboundChannel);
			this.outboxes = outboxes;
		}

		@Override
		protected WebSocketSession decorateSession(WebSocketSession session) {
			Outbox outbox = this.outboxes.outbox(session, getSendTimeLimit(), getSendBufferSizeLimit());
			this.sessions.put(session.getId(), outbox);
			return outbox;
		}

		@Override
		public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) throws Exception {
			try {
				super.afterConnectionClosed(session, closeStatus);
			}
			finally {
				this.sessions.remove(session.getId());
			}
		}

		/**
		 * Frames that arrive once the session is closing are dropped. Spring would hand
		 * them to its STOMP handler, which no longer knows the session once it has ended,
		 * answers with an {@code ERROR} on the container's own session and closes that a
		 * second time; Jetty then aborted the connection, and a client still sending (a
		 * flood that was just refused) got a reset instead of the {@code ERROR} frame
		 * that explains the close.
		 */
		@Override
		public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) throws Exception {
			WebSocketSession outbox = this.sessions.get(session.getId());
			if (!(outbox instanceof Outbox open) || open.isClosing()) {
				return;
			}
			open.received();
			super.handleMessage(session, message);
		}

		@Override
		public void handleMessage(Message<?> message) throws MessagingException {
			String sessionId = SimpMessageHeaderAccessor.getSessionId(message.getHeaders());
			WebSocketSession session = (sessionId != null) ? this.sessions.get(sessionId) : null;
			byte[] frame = (session != null) ? this.frames.encode(message) : null;
			if (session == null || frame == null) {
				super.handleMessage(message);
				return;
			}
			try {
				session.sendMessage(new MessageFrames.Encoded(frame));
			}
			catch (IOException | RuntimeException ex) {
				// As Spring's handler: a session closing as it is written to.
				if (logger.isDebugEnabled()) {
					logger.debug("Failed to send a message to " + sessionId, ex);
				}
			}
		}

	}

}
