package dev.parley.ops;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.broker.BrokerAvailabilityEvent;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

import dev.parley.messaging.Connections;
import dev.parley.messaging.FanOutInterceptor;
import dev.parley.replies.Rejections;

/**
 * Micrometer meters for the messaging path: sessions open by transport, connects and
 * disconnects by reason, inbound frames by command, outbound deliveries by kind, and
 * broker availability. Counters are created once and kept in maps, so counting a frame or
 * a delivery is one increment. Ordered first, so that frames refused by the security
 * interceptors are counted too.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class MessagingMetrics implements WebSocketMessageBrokerConfigurer {

	private final MeterRegistry registry;

	/** By ordinal: an array read per frame, every command has its counter. */
	private final Counter[] inbound = new Counter[StompCommand.values().length];

	private final Counter[] outbound = new Counter[SimpMessageType.values().length];

	private final Map<String, Counter> disconnects = new ConcurrentHashMap<>();

	/** Sessions the broker is ending for missed heart-beats, until they are closed. */
	private final Set<String> heartbeatTimeouts = ConcurrentHashMap.newKeySet();

	private final Counter connects;

	private volatile boolean brokerAvailable;

	private final Rejections rejections;

	MessagingMetrics(MeterRegistry registry, Connections sessions, Rejections rejections) {
		this.registry = registry;
		this.rejections = rejections;
		for (StompCommand command : StompCommand.values()) {
			this.inbound[command.ordinal()] = Counter.builder("parley.frames.inbound")
				.description("STOMP frames received, by command")
				.tag("command", command.name())
				.register(registry);
		}
		for (SimpMessageType type : SimpMessageType.values()) {
			this.outbound[type.ordinal()] = Counter.builder("parley.deliveries.outbound")
				.description("Frames sent to clients, by kind")
				.tag("kind", type.name())
				.register(registry);
		}
		this.connects = Counter.builder("parley.connections.opened")
			.description("WebSocket sessions opened")
			.register(registry);
		for (String transport : new String[] { "websocket", "sockjs" }) {
			Gauge.builder("parley.sessions.open", sessions, (open) -> open.count(transport))
				.description("WebSocket sessions open on this node, by transport")
				.tag("transport", transport)
				.register(registry);
		}
		Gauge.builder("parley.broker.available", this, (metrics) -> metrics.brokerAvailable ? 1 : 0)
			.description("1 when the message broker is available")
			.register(registry);
		sessions.onOpened(this::opened);
		sessions.onClosed(this::closed);
	}

	@Override
	public void configureClientInboundChannel(ChannelRegistration registration) {
		registration.interceptors(new ChannelInterceptor() {
			@Override
			public Message<?> preSend(Message<?> message, MessageChannel channel) {
				StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
				StompCommand command = (accessor != null) ? accessor.getCommand() : null;
				if (command != null) {
					MessagingMetrics.this.inbound[command.ordinal()].increment();
				}
				return message;
			}
		});
	}

	@Override
	public void configureClientOutboundChannel(ChannelRegistration registration) {
		registration.interceptors(new FanOutInterceptor() {

			@Override
			public boolean intercepts(String sessionId, String subscriptionId) {
				return false;
			}

			@Override
			public void wentAround() {
				MessagingMetrics.this.outbound[SimpMessageType.MESSAGE.ordinal()].increment();
			}

			@Override
			public Message<?> preSend(Message<?> message, MessageChannel channel) {
				if (message.getHeaders()
					.get(SimpMessageHeaderAccessor.MESSAGE_TYPE_HEADER) instanceof SimpMessageType kind) {
					MessagingMetrics.this.outbound[kind.ordinal()].increment();
					if (kind == SimpMessageType.DISCONNECT_ACK
							&& !message.getHeaders().containsKey(SimpMessageHeaderAccessor.DISCONNECT_MESSAGE_HEADER)) {
						// The broker ends a session that missed its heart-beats with a
						// DISCONNECT_ACK of no DISCONNECT; Spring then closes it as a
						// protocol error.
						String sessionId = SimpMessageHeaderAccessor.getSessionId(message.getHeaders());
						if (sessionId != null) {
							MessagingMetrics.this.heartbeatTimeouts.add(sessionId);
						}
					}
				}
				return message;
			}
		});
	}

	@EventListener
	void onBrokerAvailability(BrokerAvailabilityEvent event) {
		this.brokerAvailable = event.isBrokerAvailable();
	}

	boolean isBrokerAvailable() {
		return this.brokerAvailable;
	}

	private void opened(WebSocketSession session) {
		this.connects.increment();
	}

	private void closed(WebSocketSession session, CloseStatus status) {
		if (status.getCode() == CloseStatus.TOO_BIG_TO_PROCESS.getCode()) {
			this.rejections.count("size");
		}
		String reason = this.heartbeatTimeouts.remove(session.getId()) ? "heartbeat-timeout" : reason(status);
		this.disconnects
			.computeIfAbsent(reason,
					(tag) -> Counter.builder("parley.connections.closed")
						.description("WebSocket sessions closed, by reason")
						.tag("reason", tag)
						.register(this.registry))
			.increment();
	}

	/**
	 * The close reason as a stable tag; {@code slow-consumer} is a client that could not
	 * keep up (see Outbox).
	 */
	static String reason(CloseStatus status) {
		return switch (status.getCode()) {
			case 1000 -> "normal";
			case 1001 -> "going-away";
			case 1002 -> "protocol-error";
			case 1008 -> "Slow consumer".equals(status.getReason()) ? "slow-consumer" : "policy-violation";
			case 1009 -> "too-big";
			case 1011 -> "server-error";
			case 1012 -> "service-restart";
			case 4500 -> "slow-consumer";
			default -> "other";
		};
	}

}
