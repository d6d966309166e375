package dev.parley.messaging;

import java.io.IOException;
import java.time.Duration;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.SubscribableChannel;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.messaging.SubProtocolWebSocketHandler;

/**
 * Makes sure the {@code ERROR} frame that explains a server-side close reaches the client.
 * <p>
 * Spring sends {@code ERROR} and closes the session at once. The send goes through
 * {@link ConcurrentWebSocketSessionDecorator}: when another thread is writing to the same session at that moment
 * (a busy session: the error replies of a flood, room traffic when a token expires), the frame only joins the
 * decorator's buffer, and the close that follows stops the flush, so the client sees the socket close without
 * a word. This replaces Spring's {@code subProtocolWebSocketHandler} with one whose sessions let what is
 * buffered go out (for at most {@link #FLUSH_WAIT}) before they close. Written by hand because Spring offers no
 * hook for the session decorator.
 */
@Component
class FlushBeforeClose implements BeanPostProcessor, BeanFactoryAware {

	static final Duration FLUSH_WAIT = Duration.ofSeconds(1);

	private static final String HANDLER = "subProtocolWebSocketHandler";

	private BeanFactory beanFactory;

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
		Handler handler = new Handler(this.beanFactory.getBean("clientInboundChannel", MessageChannel.class),
				this.beanFactory.getBean("clientOutboundChannel", SubscribableChannel.class));
		handler.setPhase(original.getPhase());
		return handler;
	}

	/** Spring's handler, with sessions that flush before they close. */
	static final class Handler extends SubProtocolWebSocketHandler {

		Handler(MessageChannel clientInboundChannel, SubscribableChannel clientOutboundChannel) {
			super(clientInboundChannel, clientOutboundChannel);
		}

		@Override
		protected WebSocketSession decorateSession(WebSocketSession session) {
			return new FlushingSession(session, getSendTimeLimit(), getSendBufferSizeLimit());
		}

	}

	/** Waits for the buffer to empty, while the thread that is writing writes it, then closes. */
	static final class FlushingSession extends ConcurrentWebSocketSessionDecorator {

		FlushingSession(WebSocketSession delegate, int sendTimeLimit, int bufferSizeLimit) {
			super(delegate, sendTimeLimit, bufferSizeLimit);
		}

		@Override
		public void close(CloseStatus status) throws IOException {
			long deadline = System.nanoTime() + FLUSH_WAIT.toNanos();
			while (getBufferSize() > 0 && isOpen() && System.nanoTime() < deadline) {
				try {
					Thread.sleep(1);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					break;
				}
			}
			super.close(status);
		}

	}

}
