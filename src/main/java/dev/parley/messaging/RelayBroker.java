package dev.parley.messaging;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpLogging;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.simp.user.UserRegistryMessageHandler;
import org.springframework.messaging.support.AbstractSubscribableChannel;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.messaging.tcp.reactor.ReactorNettyTcpClient;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

import dev.parley.protocol.Protocol;

/**
 * {@code parley.broker.mode=relay}: Spring's STOMP broker relay to RabbitMQ's STOMP
 * plugin ({@code parley.cluster.relay.*}) instead of the in-memory broker, so that
 * subscribers on every node get what any node publishes. Each client session gets a
 * connection of its own to RabbitMQ, which holds its subscriptions; the node's own
 * ("system") connection publishes what the application sends. User destinations reach
 * sessions on other nodes through Spring's user registry, which each node broadcasts on
 * {@value #USER_REGISTRY}, and messages for a user not known here through
 * {@value #UNRESOLVED_USER_DESTINATION}.
 * <p>
 * What Parley adds to Spring's relay: RabbitMQ's destination forms and exclusive queues
 * ({@link RabbitStompCodec}); client headers kept from RabbitMQ and subscriptions
 * confirmed before they count as made ({@link RelayHeaderFilter}, last on the inbound
 * channel); room messages from several nodes put back in {@code seq} order
 * ({@link RoomOrder}, first on the outbound channel); a message for a session of another
 * node sent on the system connection (the relay would look for that session's connection
 * here and drop it); and the subscriptions each session holds at RabbitMQ
 * ({@link RelaySessions}), which Spring's relay does not keep.
 */
@Component
@ConditionalOnProperty(name = "parley.broker.mode", havingValue = "relay")
class RelayBroker implements WebSocketMessageBrokerConfigurer, SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(RelayBroker.class);

	/** Where user destinations no node resolved locally go to every node. */
	static final String UNRESOLVED_USER_DESTINATION = "/topic/unresolved-user-destination";

	/** Where each node sends its user registry to the others. */
	static final String USER_REGISTRY = "/topic/user-registry";

	/** The destinations on the broker, as the relay matches them. */
	static final String[] PREFIXES = { "/topic", "/queue" };

	private final RelayProperties properties;

	private final Connections connections;

	/** The clients' heart-beats, as the simple broker offers them. */
	private final Duration heartbeat;

	private final RelaySessions sessions = new RelaySessions();

	private final MessageChannel brokerChannel;

	private final ObjectProvider<AbstractSubscribableChannel> clientInboundChannel;

	private final ObjectProvider<AbstractSubscribableChannel> clientOutboundChannel;

	private final TaskScheduler scheduler;

	private final ObjectProvider<UserRegistryMessageHandler> userRegistryHandler;

	private @Nullable ReactorNettyTcpClient<byte[]> tcpClient;

	private @Nullable RoomOrder order;

	/**
	 * The channels and the scheduler are Spring's own messaging beans, which depend on
	 * this configurer: lazy.
	 */
	RelayBroker(RelayProperties properties, WebSocketProperties webSocket, Connections connections,
			@Lazy @Qualifier("brokerChannel") MessageChannel brokerChannel,
			@Qualifier("clientInboundChannel") ObjectProvider<AbstractSubscribableChannel> clientInboundChannel,
			@Qualifier("clientOutboundChannel") ObjectProvider<AbstractSubscribableChannel> clientOutboundChannel,
			@Lazy @Qualifier("messageBrokerTaskScheduler") TaskScheduler scheduler,
			ObjectProvider<UserRegistryMessageHandler> userRegistryHandler) {
		this.properties = properties;
		this.heartbeat = webSocket.heartbeat();
		this.connections = connections;
		this.brokerChannel = brokerChannel;
		this.clientInboundChannel = clientInboundChannel;
		this.clientOutboundChannel = clientOutboundChannel;
		this.scheduler = scheduler;
		this.userRegistryHandler = userRegistryHandler;
	}

	static boolean isBrokerDestination(String destination) {
		for (String prefix : PREFIXES) {
			if (destination.startsWith(prefix + "/")) {
				return true;
			}
		}
		return false;
	}

	/** Called by {@link WebSocketConfig} instead of enabling the simple broker. */
	void configure(MessageBrokerRegistry registry) {
		RelayProperties relay = this.properties;
		var registration = registry.enableStompBrokerRelay(PREFIXES)
			.setRelayHost(relay.host())
			.setRelayPort(relay.port())
			.setClientLogin(relay.clientLogin())
			.setClientPasscode(relay.clientPasscode())
			.setSystemLogin(relay.systemLogin())
			.setSystemPasscode(relay.systemPasscode())
			.setSystemHeartbeatSendInterval(relay.systemHeartbeatSendInterval().toMillis())
			.setSystemHeartbeatReceiveInterval(relay.systemHeartbeatReceiveInterval().toMillis())
			.setTaskScheduler(this.scheduler)
			.setTcpClient(tcpClient())
			.setUserDestinationBroadcast(UNRESOLVED_USER_DESTINATION)
			.setUserRegistryBroadcast(USER_REGISTRY);
		if (relay.virtualHost() != null) {
			registration.setVirtualHost(relay.virtualHost());
		}
		registry.configureBrokerChannel().interceptors(new ChannelInterceptor() {
			@Override
			public @Nullable Message<?> preSend(Message<?> message, MessageChannel channel) {
				return toBroker(message);
			}
		});
		logger.info("Broker mode relay: RabbitMQ's STOMP plugin at " + relay.address());
	}

	private synchronized ReactorNettyTcpClient<byte[]> tcpClient() {
		ReactorNettyTcpClient<byte[]> client = this.tcpClient;
		if (client == null) {
			client = new ReactorNettyTcpClient<>(this.properties.host(), this.properties.port(),
					new RabbitStompCodec(this.sessions));
			client.setLogger(SimpLogging.forLog(client.getLogger()));
			this.tcpClient = client;
		}
		return client;
	}

	/**
	 * The header filter goes last on the inbound channel: after authentication,
	 * authorization and the limits (nothing refused reaches RabbitMQ), and after the
	 * receipts and replays, whose handling must see a {@code SUBSCRIBE} only once
	 * RabbitMQ has answered it (interceptors are told a frame was handled in reverse
	 * order). The room order goes first on the outbound channel, so that no other
	 * interceptor has seen a message it holds back. Both are added here rather than
	 * through a configurer, whose place among the unordered ones is not fixed.
	 */
	@Override
	public void afterSingletonsInstantiated() {
		AbstractSubscribableChannel outbound = this.clientOutboundChannel.getObject();
		RoomOrder order = new RoomOrder(outbound, this.scheduler, RoomOrder.WINDOW);
		this.order = order;
		outbound.addInterceptor(0, order);
		this.clientInboundChannel.getObject()
			.addInterceptor(new RelayHeaderFilter(this.sessions, order, this.connections, this.brokerChannel,
					this.heartbeat.toMillis()));
		UserRegistryMessageHandler registry = this.userRegistryHandler.getIfAvailable();
		if (registry != null) {
			// Sent every half period; a node's list expires after a whole one.
			registry.setRegistryExpirationPeriod(2 * this.properties.userRegistryInterval().toMillis());
		}
	}

	@Override
	public void configureClientOutboundChannel(ChannelRegistration registration) {
		registration.interceptors(new ChannelInterceptor() {
			@Override
			public Message<?> preSend(Message<?> message, MessageChannel channel) {
				// RabbitMQ's CONNECTED, as the relay passes it on.
				if (StompHeaderAccessor.getCommand(message.getHeaders()) == StompCommand.CONNECTED) {
					String sessionId = SimpMessageHeaderAccessor.getSessionId(message.getHeaders());
					if (sessionId != null) {
						RelayBroker.this.sessions.connected(sessionId);
					}
				}
				return message;
			}
		});
	}

	/**
	 * What the application sends towards the broker. A message addressed to a session of
	 * another node (a user destination resolved through the user registry) goes on the
	 * system connection: the relay forwards a message with a session id on that session's
	 * own connection, which is on the other node. The revoker's {@code UNSUBSCRIBE} goes
	 * only if RabbitMQ holds the subscription.
	 */
	@Nullable Message<?> toBroker(Message<?> message) {
		String sessionId = SimpMessageHeaderAccessor.getSessionId(message.getHeaders());
		SimpMessageType type = SimpMessageHeaderAccessor.getMessageType(message.getHeaders());
		if (sessionId == null || type == null) {
			return message;
		}
		if (type == SimpMessageType.UNSUBSCRIBE) {
			String subscriptionId = SimpMessageHeaderAccessor.getSubscriptionId(message.getHeaders());
			if (subscriptionId == null || !this.sessions.unsubscribed(sessionId, subscriptionId)) {
				return null;
			}
			RoomOrder order = this.order;
			if (order != null) {
				order.forget(sessionId, subscriptionId);
			}
			return asStompUnsubscribe(message, subscriptionId);
		}
		String destination = SimpMessageHeaderAccessor.getDestination(message.getHeaders());
		if (type != SimpMessageType.MESSAGE || destination == null || destination.startsWith(Protocol.USER_PREFIX)
				|| this.connections.find(sessionId) != null) {
			return message;
		}
		SimpMessageHeaderAccessor accessor = MessageHeaderAccessor
			.getMutableAccessor(message) instanceof SimpMessageHeaderAccessor simp ? simp
					: SimpMessageHeaderAccessor.wrap(message);
		accessor.setSessionId(null);
		return MessageBuilder.createMessage(message.getPayload(), accessor.getMessageHeaders());
	}

	/**
	 * The relay forwards a frame from the application only as a STOMP frame (a plain
	 * {@code SimpMessageHeaderAccessor} is taken for a {@code MESSAGE}).
	 */
	private static Message<?> asStompUnsubscribe(Message<?> message, String subscriptionId) {
		if (MessageHeaderAccessor.getAccessor(message, MessageHeaderAccessor.class) instanceof StompHeaderAccessor) {
			return message;
		}
		StompHeaderAccessor unsubscribe = StompHeaderAccessor.create(StompCommand.UNSUBSCRIBE);
		unsubscribe.copyHeadersIfAbsent(message.getHeaders());
		unsubscribe.setSubscriptionId(subscriptionId);
		return MessageBuilder.createMessage(message.getPayload(), unsubscribe.getMessageHeaders());
	}

	@EventListener
	void onDisconnect(SessionDisconnectEvent event) {
		this.sessions.ended(event.getSessionId());
		RoomOrder order = this.order;
		if (order != null) {
			order.forgetSession(event.getSessionId());
		}
	}

	/** This node's sessions subscribed to exactly this destination at RabbitMQ. */
	MultiValueMap<String, String> subscribers(String destination) {
		return this.sessions.subscribers(destination);
	}

}
