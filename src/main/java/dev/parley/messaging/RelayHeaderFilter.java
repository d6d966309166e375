package dev.parley.messaging;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.simp.stomp.StompBrokerRelayMessageHandler;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.simp.user.UserDestinationMessageHandler;
import org.springframework.messaging.support.ExecutorChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;

import dev.parley.protocol.Protocol;

/**
 * In relay mode, the last interceptor of the inbound channel: what of a client's frame
 * reaches RabbitMQ. RabbitMQ's STOMP plugin acts on many headers a client could send
 * ({@code x-queue-name} names the queue, so a client could read from another's;
 * {@code durable}, {@code auto-delete} and {@code exclusive} make queues outlive their
 * session; {@code x-message-ttl}, {@code x-max-length}, {@code x-dead-letter-*} and the
 * other {@code x-*} queue arguments; {@code prefetch-count}, {@code ack} modes that leave
 * messages unacknowledged; {@code reply-to}, {@code persistent}, {@code selector}; and
 * the tokens of {@code Authorization}, {@code login} and {@code passcode}). So only the
 * headers a frame needs pass ({@link #PASSED}); every other header is taken off.
 * <p>
 * The frame is changed only for the handlers that forward it to RabbitMQ (Spring's relay,
 * and the user destination handler, which forwards subscriptions to {@code /user/...}
 * resolved): the application's own handlers and the other interceptors see it whole. It
 * also keeps from RabbitMQ what would make it end the client's connection: {@code ACK}
 * and {@code NACK} (every subscription is acknowledged on delivery, so RabbitMQ knows no
 * message to acknowledge), an {@code UNSUBSCRIBE} of a subscription RabbitMQ does not
 * hold, and a {@code SUBSCRIBE} reusing an id (RabbitMQ gets an {@code UNSUBSCRIBE} of
 * the old one first, as Spring's simple broker replaces it).
 * <p>
 * A {@code SUBSCRIBE} is handled once RabbitMQ has answered it: it goes with a receipt id
 * of Parley's, and its handling waits for that receipt (at most {@link #BROKER_TIMEOUT}),
 * so that its {@code RECEIPT} to the client and a {@code since-seq} replay come after the
 * subscription is active, as with the simple broker, and the session's next frame after
 * it. A frame that comes before RabbitMQ's {@code CONNECTED} for its session waits for
 * it, where Spring's relay would drop it.
 */
final class RelayHeaderFilter implements ExecutorChannelInterceptor {

	private static final Log logger = LogFactory.getLog(RelayHeaderFilter.class);

	/** How long a frame waits for RabbitMQ's {@code CONNECTED} or receipt. */
	static final Duration BROKER_TIMEOUT = Duration.ofSeconds(5);

	/**
	 * The headers of a client frame that reach RabbitMQ, by command. The relay sets
	 * {@code login}, {@code passcode} and {@code host} of a {@code CONNECT} itself
	 * ({@code parley.cluster.relay.client-login}...); Parley answers every receipt but a
	 * {@code DISCONNECT}'s itself.
	 */
	static final Map<StompCommand, Set<String>> PASSED;

	static {
		Map<StompCommand, Set<String>> passed = new EnumMap<>(StompCommand.class);
		passed.put(StompCommand.CONNECT, Set.of("accept-version", "heart-beat"));
		passed.put(StompCommand.STOMP, Set.of("accept-version", "heart-beat"));
		passed.put(StompCommand.SUBSCRIBE, Set.of("destination", "id"));
		passed.put(StompCommand.UNSUBSCRIBE, Set.of("id"));
		passed.put(StompCommand.SEND, Set.of("destination", "content-type"));
		passed.put(StompCommand.DISCONNECT, Set.of("receipt"));
		PASSED = Map.copyOf(passed);
	}

	/** Frames RabbitMQ never gets from a client. */
	static final Set<StompCommand> DROPPED = Set.of(StompCommand.ACK, StompCommand.NACK, StompCommand.BEGIN,
			StompCommand.COMMIT, StompCommand.ABORT);

	private static final String AWAITED = RelayHeaderFilter.class.getName() + ".awaited";

	private static final String USER_DESTINATIONS = Protocol.USER_PREFIX + "/";

	private final RelaySessions sessions;

	private final RoomOrder order;

	private final Connections connections;

	private final MessageChannel brokerChannel;

	private final long heartbeat;

	/**
	 * @param heartbeat the server's heart-beat offer, both ways, in milliseconds
	 * ({@code parley.websocket.heartbeat}); 0 for none
	 */
	RelayHeaderFilter(RelaySessions sessions, RoomOrder order, Connections connections, MessageChannel brokerChannel,
			long heartbeat) {
		this.heartbeat = heartbeat;
		this.sessions = sessions;
		this.order = order;
		this.connections = connections;
		this.brokerChannel = brokerChannel;
	}

	/** A receipt of RabbitMQ's that the frame's handling waits for. */
	private record Awaited(String receiptId, CompletableFuture<@Nullable Void> receipt) {
	}

	@Override
	public @Nullable Message<?> beforeHandle(Message<?> message, MessageChannel channel, MessageHandler handler) {
		boolean relay = handler instanceof StompBrokerRelayMessageHandler;
		if (!relay && !(handler instanceof UserDestinationMessageHandler)) {
			return message;
		}
		StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		StompCommand command = (accessor != null) ? accessor.getCommand() : null;
		String sessionId = (accessor != null) ? accessor.getSessionId() : null;
		if (accessor == null || command == null || sessionId == null || !forwards(command, accessor, relay)) {
			return message;
		}
		if (DROPPED.contains(command)) {
			return null;
		}
		switch (command) {
			case CONNECT, STOMP -> {
				this.sessions.connecting(sessionId);
				StompHeaderAccessor connect = strip(message, command);
				long[] asked = accessor.getHeartbeat();
				connect.setHeartbeat(negotiated(asked[0]), negotiated(asked[1]));
				return MessageBuilder.createMessage(message.getPayload(), connect.getMessageHeaders());
			}
			case SUBSCRIBE -> {
				return subscribe(message, accessor, sessionId);
			}
			case UNSUBSCRIBE -> {
				String subscriptionId = accessor.getSubscriptionId();
				awaitConnected(sessionId);
				if (subscriptionId == null || !this.sessions.unsubscribed(sessionId, subscriptionId)) {
					return null;
				}
				this.order.forget(sessionId, subscriptionId);
			}
			default -> {
			}
		}
		return MessageBuilder.createMessage(message.getPayload(), strip(message, command).getMessageHeaders());
	}

	/**
	 * The heart-beat interval a client asks for, as the simple broker would agree to it:
	 * RabbitMQ grants whatever a client asks (a client could ask for one every
	 * millisecond), the simple broker offers {@code parley.websocket.heartbeat}, and the
	 * interval is the longer of the two (none when the client asks for none). RabbitMQ
	 * then answers the client with these, so the client computes the same intervals as
	 * with the simple broker.
	 */
	private long negotiated(long asked) {
		return (asked == 0 || this.heartbeat == 0) ? asked : Math.max(asked, this.heartbeat);
	}

	/** Whether this handler sends the frame on to RabbitMQ. */
	private static boolean forwards(StompCommand command, StompHeaderAccessor accessor, boolean relay) {
		if (command != StompCommand.SUBSCRIBE && command != StompCommand.SEND) {
			return relay;
		}
		String destination = accessor.getDestination();
		if (destination == null) {
			return false;
		}
		return relay ? RelayBroker.isBrokerDestination(destination) : destination.startsWith(USER_DESTINATIONS);
	}

	private @Nullable Message<?> subscribe(Message<?> message, StompHeaderAccessor accessor, String sessionId) {
		String subscriptionId = accessor.getSubscriptionId();
		String destination = accessor.getDestination();
		awaitConnected(sessionId);
		if (subscriptionId == null || destination == null || this.connections.find(sessionId) == null) {
			return null;
		}
		if (this.sessions.holds(sessionId, subscriptionId)) {
			// An id used again: RabbitMQ ends the connection for that, Spring's simple
			// broker replaces the subscription.
			this.brokerChannel.send(unsubscribe(sessionId, subscriptionId, accessor));
		}
		this.order.forget(sessionId, subscriptionId);
		this.sessions.subscribed(sessionId, subscriptionId, destination);
		CompletableFuture<@Nullable Void> receipt = new CompletableFuture<>();
		String receiptId = this.sessions.expectReceipt(sessionId, receipt);
		StompHeaderAccessor stripped = strip(message, StompCommand.SUBSCRIBE);
		stripped.setReceipt(receiptId);
		stripped.setHeader(AWAITED, new Awaited(receiptId, receipt));
		return MessageBuilder.createMessage(message.getPayload(), stripped.getMessageHeaders());
	}

	private static Message<byte[]> unsubscribe(String sessionId, String subscriptionId, StompHeaderAccessor frame) {
		StompHeaderAccessor unsubscribe = StompHeaderAccessor.create(StompCommand.UNSUBSCRIBE);
		unsubscribe.setSessionId(sessionId);
		unsubscribe.setSubscriptionId(subscriptionId);
		unsubscribe.setUser(frame.getUser());
		return MessageBuilder.createMessage(new byte[0], unsubscribe.getMessageHeaders());
	}

	/** A copy of the frame's headers with only the passed native headers. */
	static StompHeaderAccessor strip(Message<?> frame, StompCommand command) {
		StompHeaderAccessor copy = StompHeaderAccessor.wrap(frame);
		Set<String> passed = PASSED.getOrDefault(command, Set.of());
		for (String name : Set.copyOf(copy.toNativeHeaderMap().keySet())) {
			if (!passed.contains(name)) {
				copy.removeNativeHeader(name);
			}
		}
		copy.setLeaveMutable(true);
		return copy;
	}

	private void awaitConnected(String sessionId) {
		await(this.sessions.whenConnected(sessionId), "RabbitMQ's CONNECTED for session " + sessionId);
	}

	@Override
	public void afterMessageHandled(Message<?> message, MessageChannel channel, MessageHandler handler,
			@Nullable Exception ex) {
		if (message.getHeaders().get(AWAITED) instanceof Awaited awaited) {
			if (ex == null && !await(awaited.receipt(), "RabbitMQ's receipt of a SUBSCRIBE")) {
				this.sessions.forgetReceipt(awaited.receiptId());
			}
		}
	}

	private static boolean await(CompletableFuture<@Nullable Void> future, String what) {
		if (future.isDone()) {
			return true;
		}
		try {
			future.get(BROKER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			return true;
		}
		catch (TimeoutException ex) {
			logger.warn("No " + what + " within " + BROKER_TIMEOUT.toSeconds() + " s; going on without it");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			// Not completed exceptionally.
		}
		return false;
	}

}
