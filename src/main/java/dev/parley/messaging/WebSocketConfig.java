package dev.parley.messaging;

import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.handler.invocation.HandlerMethodReturnValueHandler;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;
import org.springframework.web.socket.server.HandshakeInterceptor;

import dev.parley.protocol.Protocol;
import dev.parley.replies.ReceiptInterceptor;
import dev.parley.replies.StompErrorHandler;
import dev.parley.replies.StoredReplies;

/**
 * The STOMP endpoint {@code /ws} (native WebSocket and SockJS on one path), the
 * {@code /app} prefix for the application, {@code /topic} and {@code /queue} on the
 * broker, {@code /user} for user destinations.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocketMessageBroker
class WebSocketConfig implements WebSocketMessageBrokerConfigurer {

	static final String ENDPOINT = "/ws";

	private final WebSocketProperties properties;

	private final TaskScheduler heartbeatScheduler;

	/**
	 * The scheduler is Spring's own {@code messageBrokerTaskScheduler}, defined by the
	 * configuration this class contributes to, hence lazy.
	 */
	private final ReceiptInterceptor receipts;

	private final List<HandshakeInterceptor> handshakeInterceptors;

	private final IdleSessions idleSessions;

	private final StoredReplies storedReplies;

	private final Connections connections;

	/** Present in relay mode ({@code parley.broker.mode=relay}) only. */
	private final ObjectProvider<RelayBroker> relay;

	WebSocketConfig(WebSocketProperties properties,
			@Lazy @Qualifier("messageBrokerTaskScheduler") TaskScheduler heartbeatScheduler,
			ReceiptInterceptor receipts, List<HandshakeInterceptor> handshakeInterceptors, StoredReplies storedReplies,
			Connections connections, ObjectProvider<RelayBroker> relay) {
		this.relay = relay;
		this.storedReplies = storedReplies;
		this.connections = connections;
		this.properties = properties;
		this.heartbeatScheduler = heartbeatScheduler;
		this.receipts = receipts;
		this.handshakeInterceptors = handshakeInterceptors;
		this.idleSessions = new IdleSessions(properties.idleTimeout(), connections);
	}

	@EventListener(ContextRefreshedEvent.class)
	void watchIdleSessions() {
		this.idleSessions.start(this.heartbeatScheduler);
	}

	@Override
	public void configureClientInboundChannel(ChannelRegistration registration) {
		registration.interceptors(this.receipts, this.idleSessions);
	}

	/**
	 * No executor between a frame and its session: every frame goes to its session's
	 * {@link Outbox} on the thread that sends it, in the order sent, and the outbox
	 * writes it without blocking that thread. An executor here reordered a session's
	 * frames (publish order was restored for broker messages only, not for receipts and
	 * errors) and let slow clients block its threads for everyone.
	 */
	@Override
	public void configureClientOutboundChannel(ChannelRegistration registration) {
		registration.executor(new SyncTaskExecutor());
	}

	@Override
	public void registerStompEndpoints(StompEndpointRegistry registry) {
		String[] origins = this.properties.allowedOrigins().toArray(String[]::new);
		HandshakeInterceptor[] interceptors = this.handshakeInterceptors.toArray(HandshakeInterceptor[]::new);
		registry.addEndpoint(ENDPOINT).setAllowedOriginPatterns(origins).addInterceptors(interceptors);
		registry.addEndpoint(ENDPOINT).setAllowedOriginPatterns(origins).addInterceptors(interceptors).withSockJS();
		registry.setErrorHandler(new StompErrorHandler());
		// One client's frames are handled in the order it sent them (a join before the
		// send that follows it).
		registry.setPreserveReceiveOrder(true);
	}

	@Override
	public void addArgumentResolvers(List<HandlerMethodArgumentResolver> argumentResolvers) {
		argumentResolvers.add(new Caller.Resolver());
	}

	@Override
	public void addReturnValueHandlers(List<HandlerMethodReturnValueHandler> returnValueHandlers) {
		returnValueHandlers.add(new StoredReplies.ReturnValueHandler(this.storedReplies));
	}

	/**
	 * The simple broker (which {@link Outboxes} replaces with a {@link FanOutBroker} on
	 * the {@link ExactSubscriptionRegistry}), or in relay mode RabbitMQ's, through
	 * Spring's relay (see {@link RelayBroker}).
	 */
	@Override
	public void configureMessageBroker(MessageBrokerRegistry registry) {
		long heartbeat = this.properties.heartbeat().toMillis();
		registry.setApplicationDestinationPrefixes(Protocol.APP_PREFIX);
		registry.setUserDestinationPrefix(Protocol.USER_PREFIX);
		RelayBroker relay = this.relay.getIfAvailable();
		if (relay != null) {
			relay.configure(registry);
			return;
		}
		registry.enableSimpleBroker("/topic", "/queue")
			.setHeartbeatValue(new long[] { heartbeat, heartbeat })
			.setTaskScheduler(this.heartbeatScheduler);
	}

	/**
	 * SockJS sends several frames per request, JSON-encoded (up to 6 bytes per byte for
	 * escaped control characters): eight frame limits leave room for both and still bound
	 * what one request can hold.
	 */
	@Bean
	FilterRegistrationBean<SockJsBodyLimitFilter> sockJsBodyLimitFilter() {
		long limit = 8 * this.properties.messageSizeLimit().toBytes();
		FilterRegistrationBean<SockJsBodyLimitFilter> registration = new FilterRegistrationBean<>(
				new SockJsBodyLimitFilter(ENDPOINT + "/", limit));
		registration.addUrlPatterns(ENDPOINT + "/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
	}

	@Override
	public void configureWebSocketTransport(WebSocketTransportRegistration registration) {
		int limit = (int) this.properties.messageSizeLimit().toBytes();
		registration.addDecoratorFactory((handler) -> new MessageSizeLimit(handler, limit));
		registration.addDecoratorFactory(this.connections::decorate);
		registration.setMessageSizeLimit(limit)
			.setSendTimeLimit((int) this.properties.sendTimeLimit().toMillis())
			.setSendBufferSizeLimit((int) this.properties.sendBufferSizeLimit().toBytes());
	}

}
