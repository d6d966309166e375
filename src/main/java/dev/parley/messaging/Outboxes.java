package dev.parley.messaging;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
import org.springframework.messaging.support.AbstractSubscribableChannel;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.ImmutableMessageChannelInterceptor;
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
 * a close, and puts {@link FanOutBroker} in place of Spring's in-memory broker, which
 * writes to these outboxes.
 */
@Component
class Outboxes implements BeanPostProcessor, BeanFactoryAware, DisposableBean {

	private static final String HANDLER = "subProtocolWebSocketHandler";

	private final ExecutorService writers = Executors.newCachedThreadPool(daemon("parley-writer-"));

	private final ScheduledExecutorService timer = Executors
		.newSingleThreadScheduledExecutor(daemon("parley-outbox-timer-"));

	private @Nullable BeanFactory beanFactory;

	/** The session handler, once made. */
	private volatile @Nullable Handler handler;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) throws BeansException {
		bean = FanOutBroker.inPlaceOf(bean, () -> this.handler);
		if (!HANDLER.equals(beanName) || bean.getClass() != SubProtocolWebSocketHandler.class) {
			return bean;
		}
		SubProtocolWebSocketHandler original = (SubProtocolWebSocketHandler) bean;
		BeanFactory beans = Objects.requireNonNull(this.beanFactory, "set before post-processing");
		Handler handler = new Handler(beans.getBean("clientInboundChannel", MessageChannel.class),
				beans.getBean("clientOutboundChannel", SubscribableChannel.class), this);
		handler.setPhase(original.getPhase());
		this.handler = handler;
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
	static final class Handler extends SubProtocolWebSocketHandler implements FanOutBroker.Deliveries {

		private static final Log logger = LogFactory.getLog(Handler.class);

		private final Outboxes outboxes;

		private final SubscribableChannel outboundChannel;

		private final MessageFrames frames = new MessageFrames();

		/** The open sessions, by id, as their outboxes. */
		private final Map<String, WebSocketSession> sessions = new ConcurrentHashMap<>();

		Handler(MessageChannel clientInboundChannel, SubscribableChannel clientOutboundChannel, Outboxes outboxes) {
			super(clientInboundChannel, clientOutboundChannel);
			this.outboxes = outboxes;
			this.outboundChannel = clientOutboundChannel;
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

		/**
		 * The broker's deliveries of one broadcast, written to the outboxes; none while
		 * the outbound channel has an interceptor that does not know of this path, or a
		 * subscriber other than this handler.
		 */
		@Override
		public FanOutBroker.Deliveries.@Nullable Round round() {
			if (!(this.outboundChannel instanceof AbstractSubscribableChannel channel)
					|| channel.getSubscribers().size() != 1 || !channel.hasSubscription(this)) {
				return null;
			}
			List<FanOutInterceptor> interceptors = new ArrayList<>();
			for (ChannelInterceptor interceptor : channel.getInterceptors()) {
				if (interceptor instanceof FanOutInterceptor fanOut) {
					interceptors.add(fanOut);
				}
				else if (!(interceptor instanceof ImmutableMessageChannelInterceptor)) {
					// Spring's own, last on the channel, only seals a message's headers:
					// a frame written straight to its outbox has none.
					return null;
				}
			}
			return new Round(interceptors.toArray(FanOutInterceptor[]::new));
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

		private final class Round implements FanOutBroker.Deliveries.Round {

			private final FanOutInterceptor[] interceptors;

			Round(FanOutInterceptor[] interceptors) {
				this.interceptors = interceptors;
			}

			@Override
			public boolean deliver(String sessionId, String subscriptionId, MessageFrames.Broadcast broadcast) {
				if (!(Handler.this.sessions.get(sessionId) instanceof Outbox outbox)) {
					return false;
				}
				for (FanOutInterceptor interceptor : this.interceptors) {
					if (interceptor.intercepts(sessionId, subscriptionId)) {
						return false;
					}
				}
				for (FanOutInterceptor interceptor : this.interceptors) {
					interceptor.wentAround();
				}
				try {
					outbox.sendMessage(
							new MessageFrames.Encoded(Handler.this.frames.frame(broadcast, sessionId, subscriptionId)));
				}
				catch (IOException | RuntimeException ex) {
					// As Spring's handler: a session closing as it is written to.
					if (logger.isDebugEnabled()) {
						logger.debug("Failed to send a message to " + sessionId, ex);
					}
				}
				return true;
			}

		}

	}

}
