package dev.parley.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.event.EventListener;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.messaging.support.NativeMessageHeaderAccessor;
import org.springframework.util.MimeType;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;
import org.springframework.web.socket.messaging.SessionSubscribeEvent;
import org.springframework.web.socket.messaging.SessionUnsubscribeEvent;

import dev.parley.history.MessageStore;
import dev.parley.history.RoomMessage;
import dev.parley.messaging.RemoteUsers;
import dev.parley.protocol.Protocol;

/**
 * Carries what the application sends to the broker to the other nodes, over Redis
 * pub/sub. Each node keeps Spring's in-memory broker for its own sessions; this bridge
 * sits on the broker channel.
 * <ul>
 * <li>A broadcast ({@code /topic/...}) is delivered here at once and published once, on
 * the channel {@code t:<destination>}. A node subscribes to that channel when its first
 * local subscriber of the destination arrives and unsubscribes when the last one goes, so
 * a node receives only what its own clients want, whatever the number of subscribers
 * elsewhere, and a broadcast costs one publish however many nodes there are.</li>
 * <li>A message for all of a user's sessions ({@code /user/<name>/...}) is delivered here
 * and published on the channel {@code n:<node>} of each other node the user has sessions
 * on ({@code user:<name>}), never to every node. Messages for one session (errors,
 * receipts' failures) stay here.</li>
 * <li>Room messages are delivered in {@code seq} order, each once: a message whose
 * {@code seq} skips one not delivered here (published while Redis was away, or overtaken
 * by a later one from another node) is preceded by the missing ones, read from the
 * database; one already delivered is dropped. After Redis comes back, every room with
 * subscribers here is caught up the same way.</li>
 * </ul>
 * Between nodes a message is JSON: {@code {"node", "destination", "contentType",
 * "headers", "body"}} with the body as text (Parley's payloads are JSON). A node ignores
 * its own.
 */
final class RedisBridge implements ChannelInterceptor, WebSocketMessageBrokerConfigurer, RemoteUsers {

	private static final Log logger = LogFactory.getLog(RedisBridge.class);

	/** On a message this bridge delivers: the broker channel lets it through as it is. */
	static final String BRIDGED = "parleyBridged";

	private static final Pattern ROOM_TOPIC = Pattern
		.compile(Pattern.quote(Protocol.ROOM_TOPIC_PREFIX) + "(" + Protocol.ROOM_NAME + ")");

	private static final Pattern USER_DESTINATION = Pattern
		.compile(Pattern.quote(Protocol.USER_PREFIX + "/") + "([^/]+)(/.*)");

	/**
	 * Where a message already delivered here goes instead: no client may subscribe to it.
	 */
	static final String DELIVERED_ALREADY = "/topic/.parley-delivered-already";

	/** The channel on which a node that could not publish asks the others to catch up. */
	static final String RESYNC = "resync";

	/** The most messages read from the database to fill one gap. */
	static final int MAX_FILL = 1000;

	private final String node;

	private final String prefix;

	private final JsonMapper json;

	private final MessageStore store;

	private final StatefulRedisConnection<String, String> publisher;

	private final StatefulRedisPubSubConnection<String, String> subscriber;

	private final ExecutorService inbound;

	private final Counter publishedTopics;

	private final Counter publishedUsers;

	private final Counter received;

	private final Counter filled;

	private volatile @Nullable MessageChannel brokerChannel;

	/** Whether a publish failed since the last resync notice. */
	private volatile boolean owed;

	/** Local subscriptions per destination; guarded by itself. */
	private final Map<String, Integer> subscribers = new HashMap<>();

	/** Session id → subscription id → destination; guarded by {@link #subscribers}. */
	private final Map<String, Map<String, String>> bySession = new HashMap<>();

	/**
	 * Per room: the last seq delivered here, and the lock that keeps deliveries in order.
	 */
	private final Map<String, Sequence> sequences = new ConcurrentHashMap<>();

	/** The room lock this thread holds from preSend to afterSendCompletion. */
	private final ThreadLocal<ReentrantLock> held = new ThreadLocal<>();

	RedisBridge(String node, String prefix, JsonMapper json, MessageStore store,
			StatefulRedisConnection<String, String> publisher, StatefulRedisPubSubConnection<String, String> subscriber,
			ExecutorService inbound, MeterRegistry meters) {
		this.node = node;
		this.prefix = prefix;
		this.json = json;
		this.store = store;
		this.publisher = publisher;
		this.subscriber = subscriber;
		this.inbound = inbound;
		this.publishedTopics = Counter.builder("parley.cluster.published")
			.description("Messages published to Redis for other nodes")
			.tag("kind", "topic")
			.register(meters);
		this.publishedUsers = Counter.builder("parley.cluster.published")
			.description("Messages published to Redis for other nodes")
			.tag("kind", "user")
			.register(meters);
		this.received = Counter.builder("parley.cluster.received")
			.description("Messages received from other nodes through Redis")
			.register(meters);
		this.filled = Counter.builder("parley.cluster.gap.filled")
			.description("Room messages read from the database to fill a gap in seq")
			.register(meters);
		subscriber.addListener(new RedisPubSubAdapter<>() {

			@Override
			public void message(String channel, String message) {
				RedisBridge.this.inbound.execute(() -> receive(channel, message));
			}

			/**
			 * A room's channel is subscribed, again after a reconnect: what was published
			 * before the subscription took effect is read from the database.
			 */
			@Override
			public void subscribed(String channel, long count) {
				if (channel.startsWith(prefix + "t:")) {
					Matcher room = ROOM_TOPIC.matcher(channel.substring(prefix.length() + 2));
					if (room.matches()) {
						String name = room.group(1);
						RedisBridge.this.inbound.execute(() -> catchUp(name));
					}
				}
			}

		});
		subscriber.addListener(new RedisConnectionStateListener() {

			@Override
			public void onRedisConnected(RedisChannelHandler<?, ?> connection, java.net.SocketAddress address) {
				// Lettuce subscribes again by itself; what was published meanwhile is
				// read from the database.
				RedisBridge.this.inbound.execute(RedisBridge.this::catchUp);
			}

		});
		publisher.addListener(new RedisConnectionStateListener() {

			@Override
			public void onRedisConnected(RedisChannelHandler<?, ?> connection, java.net.SocketAddress address) {
				if (RedisBridge.this.owed) {
					RedisBridge.this.owed = false;
					RedisBridge.this.inbound.execute(RedisBridge.this::askForResync);
				}
			}

		});
		subscriber.async().subscribe(nodeChannel(node), prefix + RESYNC);
	}

	private void askForResync() {
		try {
			this.publisher.async().publish(this.prefix + RESYNC, this.node);
		}
		catch (RuntimeException ex) {
			this.owed = true;
		}
	}

	@Override
	public void configureMessageBroker(MessageBrokerRegistry registry) {
		registry.configureBrokerChannel().interceptors(this);
	}

	// --- Out: what this node sends
	// -------------------------------------------------------

	@Override
	public @Nullable Message<?> preSend(Message<?> message, MessageChannel channel) {
		if (message.getHeaders().containsKey(BRIDGED)) {
			return message;
		}
		this.brokerChannel = channel;
		SimpMessageHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message,
				SimpMessageHeaderAccessor.class);
		if (accessor == null) {
			accessor = SimpMessageHeaderAccessor.wrap(message);
		}
		String destination = accessor.getDestination();
		if (destination == null || accessor.getMessageType() != SimpMessageType.MESSAGE) {
			return message;
		}
		if (destination.startsWith("/topic/")) {
			Message<?> delivered = message;
			Matcher room = ROOM_TOPIC.matcher(destination);
			String seq = accessor.getFirstNativeHeader(Protocol.SEQ_HEADER);
			if (room.matches() && seq != null) {
				// Held until the broker has delivered it (afterSendCompletion): nothing
				// from another node for this room may come between.
				Sequence sequence = sequence(room.group(1));
				sequence.lock.lock();
				this.held.set(sequence.lock);
				try {
					if (!fill(sequence, room.group(1), Long.parseLong(seq))) {
						// Delivered here already, read from the database to fill a gap
						// before its own delivery came: it goes to no subscriber now.
						delivered = MessageBuilder.fromMessage(message)
							.setHeader(SimpMessageHeaderAccessor.DESTINATION_HEADER, DELIVERED_ALREADY)
							.build();
					}
				}
				catch (RuntimeException ex) {
					logger.warn("Room " + room.group(1) + ": seq " + seq + " not put in order: " + ex.getMessage());
				}
			}
			publish(topicChannel(destination), message, destination);
			this.publishedTopics.increment();
			return delivered;
		}
		if (destination.startsWith(Protocol.USER_PREFIX + "/") && accessor.getSessionId() == null) {
			Matcher user = USER_DESTINATION.matcher(destination);
			if (user.matches()) {
				forwardToUser(user.group(1), message, destination);
			}
		}
		return message;
	}

	@Override
	public void afterSendCompletion(Message<?> message, MessageChannel channel, boolean sent, @Nullable Exception ex) {
		if (message.getHeaders().containsKey(BRIDGED)) {
			// Delivered by this bridge, maybe inside a send that holds a room's lock.
			return;
		}
		ReentrantLock lock = this.held.get();
		if (lock != null) {
			this.held.remove();
			lock.unlock();
		}
	}

	private void forwardToUser(String user, Message<?> message, String destination) {
		forward(user, envelope(message, destination));
	}

	@Override
	public void deliver(String user, String destination, byte[] json) {
		forward(user, this.json.writeValueAsString(new Envelope(this.node, destination, "application/json", null,
				new String(json, StandardCharsets.UTF_8))));
	}

	/** To the other nodes the user has sessions on, from {@code user:<name>}. */
	private void forward(String user, String envelope) {
		try {
			this.publisher.async().smembers(this.prefix + "user:" + user).thenAccept((nodes) -> {
				for (String other : nodes) {
					if (!other.equals(this.node)) {
						this.publisher.async().publish(nodeChannel(other), envelope);
						this.publishedUsers.increment();
					}
				}
			});
		}
		catch (RuntimeException ex) {
			logger.debug("Not sent to " + user + "'s other nodes (Redis away): " + ex.getMessage());
		}
	}

	/**
	 * Never throws: while Redis is away this node goes on alone. What it could not
	 * publish is owed: once its connection is back it asks every node to catch up from
	 * the database ({@link #RESYNC}).
	 */
	private void publish(String channel, Message<?> message, String destination) {
		try {
			this.publisher.async().publish(channel, envelope(message, destination)).whenComplete((count, ex) -> {
				if (ex != null) {
					this.owed = true;
				}
			});
		}
		catch (RuntimeException ex) {
			this.owed = true;
			logger.debug("Not published to the other nodes (Redis away): " + ex.getMessage());
		}
	}

	private String envelope(Message<?> message, String destination) {
		Object contentType = message.getHeaders().get(MessageHeaders.CONTENT_TYPE);
		Map<String, List<String>> headers = null;
		if (message.getHeaders().get(NativeMessageHeaderAccessor.NATIVE_HEADERS) instanceof Map<?, ?> map
				&& !map.isEmpty()) {
			headers = new HashMap<>();
			for (Map.Entry<?, ?> header : map.entrySet()) {
				List<String> values = new ArrayList<>();
				if (header.getValue() instanceof List<?> list) {
					list.forEach((value) -> values.add(String.valueOf(value)));
				}
				headers.put(String.valueOf(header.getKey()), values);
			}
		}
		Object payload = message.getPayload();
		String body = (payload instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8)
				: payload.toString();
		return this.json.writeValueAsString(new Envelope(this.node, destination,
				(contentType != null) ? contentType.toString() : null, headers, body));
	}

	/**
	 * What goes between nodes, as JSON.
	 *
	 * @param node the node that sent it (a node ignores its own)
	 * @param destination where it goes, as the application sent it
	 * @param contentType the payload's content type
	 * @param headers the STOMP headers to deliver with it ({@code seq} for room messages)
	 * @param body the payload, as text
	 */
	record Envelope(@Nullable String node, @Nullable String destination, @Nullable String contentType,
			@Nullable Map<String, List<String>> headers, @Nullable String body) {
	}

	// --- In: what other nodes send
	// -------------------------------------------------------

	private void receive(String channel, String text) {
		if (channel.equals(this.prefix + RESYNC)) {
			if (!this.node.equals(text)) {
				catchUp();
			}
			return;
		}
		Envelope envelope;
		try {
			envelope = this.json.readValue(text, Envelope.class);
		}
		catch (RuntimeException ex) {
			logger.warn("Ignored a message on " + channel + " that is not a Parley envelope: " + ex.getMessage());
			return;
		}
		if (envelope.destination() == null || envelope.body() == null || this.node.equals(envelope.node())) {
			return;
		}
		this.received.increment();
		String destination = envelope.destination();
		Map<String, List<String>> headers = (envelope.headers() != null) ? envelope.headers() : Map.of();
		Message<byte[]> message = message(destination, envelope.contentType(), headers,
				envelope.body().getBytes(StandardCharsets.UTF_8));
		Matcher room = ROOM_TOPIC.matcher(destination);
		List<String> seq = headers.get(Protocol.SEQ_HEADER);
		if (room.matches() && seq != null && !seq.isEmpty()) {
			Sequence sequence = sequence(room.group(1));
			sequence.lock.lock();
			try {
				long number = Long.parseLong(seq.get(0));
				if (!fill(sequence, room.group(1), number)) {
					return;
				}
				deliver(message);
			}
			finally {
				sequence.lock.unlock();
			}
			return;
		}
		deliver(message);
	}

	/**
	 * Brings a room to just before {@code seq}: delivers what is missing here, read from
	 * the database. Call with the room's lock held.
	 * @return false when {@code seq} was delivered here already
	 */
	private boolean fill(Sequence sequence, String room, long seq) {
		long last = sequence.last;
		if (last >= 0 && seq <= last) {
			return false;
		}
		if (last >= 0 && seq > last + 1) {
			List<RoomMessage> missing;
			try {
				missing = this.store.roomAfter(room, last, seq, MAX_FILL);
			}
			catch (RuntimeException ex) {
				logger.warn("Room " + room + " has a gap after seq " + last + " that could not be filled: "
						+ ex.getMessage());
				missing = List.of();
			}
			missing.forEach(this::deliverStored);
		}
		sequence.last = seq;
		return true;
	}

	/** After Redis was away: every room with subscribers here is brought up to date. */
	private void catchUp() {
		this.sequences.keySet().forEach(this::catchUp);
	}

	/** Delivers what the room has stored after the last seq delivered here. */
	private void catchUp(String room) {
		Sequence sequence = this.sequences.get(room);
		if (sequence == null) {
			return;
		}
		sequence.lock.lock();
		try {
			if (sequence.last < 0) {
				return;
			}
			List<RoomMessage> missing = this.store.roomAfter(room, sequence.last, Long.MAX_VALUE, MAX_FILL);
			for (RoomMessage stored : missing) {
				deliverStored(stored);
				sequence.last = stored.seq();
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Room " + room + " could not be caught up after Redis came back: " + ex.getMessage());
		}
		finally {
			sequence.lock.unlock();
		}
	}

	/** Delivers a room message read from the database, as it was first sent. */
	private void deliverStored(RoomMessage stored) {
		deliver(message(Protocol.roomTopic(stored.room()), "application/json",
				Map.of(Protocol.SEQ_HEADER, List.of(Long.toString(stored.seq()))),
				this.json.writeValueAsBytes(stored)));
		this.filled.increment();
	}

	private Message<byte[]> message(String destination, @Nullable String contentType,
			Map<String, List<String>> nativeHeaders, byte[] body) {
		SimpMessageHeaderAccessor accessor = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		accessor.setDestination(destination);
		if (contentType != null) {
			accessor.setContentType(MimeType.valueOf(contentType));
		}
		nativeHeaders.forEach((name, values) -> values.forEach((value) -> accessor.addNativeHeader(name, value)));
		accessor.setHeader(BRIDGED, Boolean.TRUE);
		return MessageBuilder.createMessage(body, accessor.getMessageHeaders());
	}

	private void deliver(Message<?> message) {
		MessageChannel channel = this.brokerChannel;
		if (channel != null) {
			channel.send(message);
		}
	}

	// --- Which channels this node listens to
	// ---------------------------------------------

	@EventListener
	void onSubscribe(SessionSubscribeEvent event) {
		SimpMessageHeaderAccessor accessor = SimpMessageHeaderAccessor.wrap(event.getMessage());
		String destination = accessor.getDestination();
		String sessionId = accessor.getSessionId();
		String id = accessor.getSubscriptionId();
		if (destination == null || sessionId == null || id == null || !destination.startsWith("/topic/")) {
			return;
		}
		synchronized (this.subscribers) {
			String previous = this.bySession.computeIfAbsent(sessionId, (key) -> new HashMap<>()).put(id, destination);
			if (previous != null) {
				release(previous);
			}
			if (this.subscribers.merge(destination, 1, Integer::sum) == 1) {
				this.subscriber.async().subscribe(topicChannel(destination));
				forget(destination);
			}
		}
	}

	@EventListener
	void onUnsubscribe(SessionUnsubscribeEvent event) {
		SimpMessageHeaderAccessor accessor = SimpMessageHeaderAccessor.wrap(event.getMessage());
		String sessionId = accessor.getSessionId();
		String id = accessor.getSubscriptionId();
		if (sessionId == null || id == null) {
			return;
		}
		synchronized (this.subscribers) {
			Map<String, String> ids = this.bySession.get(sessionId);
			String destination = (ids != null) ? ids.remove(id) : null;
			if (destination != null) {
				release(destination);
			}
		}
	}

	@EventListener
	void onDisconnect(SessionDisconnectEvent event) {
		synchronized (this.subscribers) {
			Map<String, String> ids = this.bySession.remove(event.getSessionId());
			if (ids != null) {
				ids.values().forEach(this::release);
			}
		}
	}

	/** Guarded by {@link #subscribers}. */
	private void release(String destination) {
		Integer left = this.subscribers.computeIfPresent(destination, (key, count) -> (count > 1) ? count - 1 : null);
		if (left == null) {
			this.subscriber.async().unsubscribe(topicChannel(destination));
			forget(destination);
		}
	}

	/**
	 * A room topic gets its first subscriber here, or loses its last: the room's place in
	 * its seq starts again from the next message (nobody here waits for the ones before).
	 */
	private void forget(String destination) {
		Matcher room = ROOM_TOPIC.matcher(destination);
		if (room.matches()) {
			Sequence sequence = this.sequences.get(room.group(1));
			if (sequence != null) {
				sequence.lock.lock();
				try {
					sequence.last = -1;
				}
				finally {
					sequence.lock.unlock();
				}
			}
		}
	}

	/** How many destinations this node listens to on Redis. */
	int listening() {
		synchronized (this.subscribers) {
			return this.subscribers.size();
		}
	}

	List<String> destinations() {
		synchronized (this.subscribers) {
			return new ArrayList<>(this.subscribers.keySet());
		}
	}

	private Sequence sequence(String room) {
		return this.sequences.computeIfAbsent(room, (key) -> new Sequence());
	}

	private String topicChannel(String destination) {
		return this.prefix + "t:" + destination;
	}

	private String nodeChannel(String node) {
		return this.prefix + "n:" + node;
	}

	/** A room's place in its seq on this node. */
	private static final class Sequence {

		final ReentrantLock lock = new ReentrantLock();

		/** Guarded by lock; -1 until a message of the room is delivered here. */
		long last = -1;

	}

}
