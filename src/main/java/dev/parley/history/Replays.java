package dev.parley.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ExecutorChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.messaging.support.NativeMessageHeaderAccessor;
import org.springframework.stereotype.Component;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

import dev.parley.messaging.Connections;
import dev.parley.messaging.FanOutInterceptor;
import dev.parley.protocol.Protocol;
import dev.parley.replies.ClientErrors;
import dev.parley.replies.ErrorPayload;
import dev.parley.replies.HandlerCountdown;

/**
 * Replays missed messages to a subscription made with a {@code since-seq:<n>} header, on
 * {@code /topic/chat/{room}} (the room's messages with {@code seq > n}) and on
 * {@code /user/queue/private} (the user's private messages with {@code seq > n}), then
 * lets it go on live, in order and with no gap.
 * <p>
 * How: the subscription is marked before the broker registers it; from then on, live
 * messages for it are held back on the outbound channel. Once the broker has registered
 * it, the stored messages are read and written to the session, then the held-back
 * messages that were not part of the replay follow, and the mark is removed. A message
 * committed before the read is in the replay; one committed after it is published after
 * the registration, so it is held back or delivered live. Written by hand: Spring's
 * brokers have no replay.
 */
@Component
public class Replays implements WebSocketMessageBrokerConfigurer {

	private static final Log logger = LogFactory.getLog(Replays.class);

	private static final Pattern ROOM_TOPIC = Pattern
		.compile(Pattern.quote(Protocol.ROOM_TOPIC_PREFIX) + "(" + Protocol.ROOM_NAME + ")");

	private static final String PRIVATE_QUEUE = Protocol.USER_PREFIX + Protocol.PRIVATE_QUEUE;

	private static final String HEADER = Protocol.SINCE_SEQ_HEADER;

	/** The STOMP header a room message's {@code seq} travels in, beside its body. */
	private static final String SEQ_HEADER = Protocol.SEQ_HEADER;

	private static final String PENDING = Replays.class.getName() + ".pending";

	private final MessageStore store;

	private final HistoryProperties properties;

	private final ClientErrors errors;

	private final JsonMapper jsonMapper;

	private final MessageHandler sessions;

	private final Map<String, Pending> pending = new ConcurrentHashMap<>();

	private final Connections connections;

	/**
	 * The session handler is Spring's {@code subProtocolWebSocketHandler}, which depends
	 * on this, hence lazy.
	 */
	Replays(MessageStore store, HistoryProperties properties, ClientErrors errors, JsonMapper jsonMapper,
			@Lazy @Qualifier("subProtocolWebSocketHandler") MessageHandler sessions, Connections connections) {
		this.connections = connections;
		this.store = store;
		this.properties = properties;
		this.errors = errors;
		this.jsonMapper = jsonMapper;
		this.sessions = sessions;
	}

	/** A replay under way: what to read, and the live messages held back meanwhile. */
	private static final class Pending extends HandlerCountdown {

		final String sessionId;

		final String subscriptionId;

		final String destination;

		final String user;

		final @Nullable String room;

		final long since;

		final List<Message<?>> heldBack = new ArrayList<>();

		boolean done;

		/**
		 * Once done, the last {@code seq} replayed: a live message up to it was in the
		 * replay already (committed before the read, published after the replay ended)
		 * and is dropped, until the first one past it.
		 */
		long replayedUpTo = -1;

		Pending(String sessionId, String subscriptionId, String destination, String user, @Nullable String room,
				long since, MessageChannel channel) {
			super(channel);
			this.sessionId = sessionId;
			this.subscriptionId = subscriptionId;
			this.destination = destination;
			this.user = user;
			this.room = room;
			this.since = since;
		}

	}

	@Override
	public void configureClientInboundChannel(ChannelRegistration registration) {
		registration.interceptors(new Inbound());
	}

	@Override
	public void configureClientOutboundChannel(ChannelRegistration registration) {
		registration.interceptors(new Outbound());
	}

	private final class Inbound implements ExecutorChannelInterceptor {

		@Override
		public @Nullable Message<?> preSend(Message<?> message, MessageChannel channel) {
			StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
			if (accessor == null) {
				return message;
			}
			StompCommand command = accessor.getCommand();
			if ((command == StompCommand.SUBSCRIBE || command == StompCommand.UNSUBSCRIBE)
					&& !Replays.this.pending.isEmpty() && accessor.getSessionId() != null
					&& accessor.getSubscriptionId() != null) {
				// A subscription id used again is a new subscription: what a replay kept
				// for the old one goes.
				Replays.this.pending.remove(key(accessor.getSessionId(), accessor.getSubscriptionId()));
			}
			if (command != StompCommand.SUBSCRIBE || accessor.getFirstNativeHeader(HEADER) == null
					|| accessor.getUser() == null) {
				return message;
			}
			String destination = accessor.getDestination();
			String sessionId = accessor.getSessionId();
			String subscriptionId = accessor.getSubscriptionId();
			if (destination == null || sessionId == null || subscriptionId == null) {
				return message;
			}
			Matcher room = ROOM_TOPIC.matcher(destination);
			if (!room.matches() && !PRIVATE_QUEUE.equals(destination)) {
				return message;
			}
			long since;
			try {
				since = Long.parseLong(accessor.getFirstNativeHeader(HEADER));
			}
			catch (NumberFormatException ex) {
				since = -1;
			}
			if (since < 0) {
				Replays.this.errors.report(sessionId, accessor.getUser().getName(), new ErrorPayload("bad-request",
						"since-seq must be a whole number, 0 or more", destination, accessor.getReceipt()));
				return null;
			}
			Pending replay = new Pending(sessionId, subscriptionId, destination, accessor.getUser().getName(),
					room.matches() ? room.group(1) : null, since, channel);
			Replays.this.pending.put(key(sessionId, subscriptionId), replay);
			return replay.attachTo(message, PENDING);
		}

		@Override
		public void afterMessageHandled(Message<?> message, MessageChannel channel, MessageHandler handler,
				@Nullable Exception ex) {
			if (message.getHeaders().get(PENDING) instanceof Pending replay && replay.handled()) {
				replay(replay);
			}
		}

	}

	private final class Outbound implements FanOutInterceptor {

		/**
		 * A live delivery to a subscription whose replay is under way is held back here.
		 */
		@Override
		public boolean intercepts(String sessionId, String subscriptionId) {
			return !Replays.this.pending.isEmpty() && Replays.this.pending.containsKey(key(sessionId, subscriptionId));
		}

		@Override
		public @Nullable Message<?> preSend(Message<?> message, MessageChannel channel) {
			if (Replays.this.pending.isEmpty()) {
				return message;
			}
			// Per delivery while a replay is under way: read the headers, do not copy
			// them into an accessor.
			MessageHeaders headers = message.getHeaders();
			String sessionId = SimpMessageHeaderAccessor.getSessionId(headers);
			String subscriptionId = SimpMessageHeaderAccessor.getSubscriptionId(headers);
			if (SimpMessageHeaderAccessor.getMessageType(headers) != SimpMessageType.MESSAGE || sessionId == null
					|| subscriptionId == null) {
				return message;
			}
			Pending replay = Replays.this.pending.get(key(sessionId, subscriptionId));
			if (replay == null) {
				return message;
			}
			synchronized (replay) {
				if (!replay.done) {
					replay.heldBack.add(message);
					return null;
				}
				if (seqOf(message) <= replay.replayedUpTo) {
					// Sent by the replay already.
					return null;
				}
			}
			// Live messages of a room are published in seq order: from here on none was
			// in the replay.
			Replays.this.pending.remove(key(sessionId, subscriptionId), replay);
			return message;
		}

	}

	private void replay(Pending replay) {
		long lastReplayed = replay.since;
		try {
			List<?> messages = read(replay);
			for (Object stored : messages) {
				write(replay, stored);
				lastReplayed = Math.max(lastReplayed, seqOf(stored));
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Replay for " + replay.destination + " failed: " + ex.getMessage());
			this.errors.report(replay.sessionId, replay.user, new ErrorPayload("replay-failed",
					"Missed messages could not be replayed; fetch them over REST", replay.destination, null));
		}
		finally {
			synchronized (replay) {
				for (Message<?> held : replay.heldBack) {
					if (seqOf(held) > lastReplayed) {
						this.sessions.handleMessage(held);
					}
				}
				replay.heldBack.clear();
				replay.done = true;
				replay.replayedUpTo = lastReplayed;
			}
			// Kept until the first live message past the replay, a new use of its
			// subscription id, or the end of the session, which may have come while the
			// SUBSCRIBE waited in the inbound queue.
			if (this.connections.find(replay.sessionId) == null) {
				this.pending.remove(key(replay.sessionId, replay.subscriptionId), replay);
			}
		}
	}

	@EventListener
	void onDisconnect(SessionDisconnectEvent event) {
		if (!this.pending.isEmpty()) {
			String prefix = event.getSessionId() + '\u0000';
			this.pending.keySet().removeIf((key) -> key.startsWith(prefix));
		}
	}

	private List<?> read(Pending replay) {
		int max = this.properties.maxReplay();
		List<?> missed = (replay.room != null)
				? this.store.roomAfter(replay.room, replay.since, Long.MAX_VALUE, max + 1)
				: this.store.directAfter(replay.user, replay.since, max + 1);
		if (missed.size() <= max) {
			return missed;
		}
		List<?> latest = (replay.room != null) ? this.store.roomBefore(replay.room, Long.MAX_VALUE, max)
				: this.store.directLatest(replay.user, max);
		long first = seqOf(latest.get(0));
		String rest = (replay.room != null)
				? "GET /api/rooms/" + replay.room + "/messages?after=" + replay.since + "&before=" + first
				: "GET /api/direct/{user}/messages?after=" + replay.since + "&before=" + first;
		this.errors.report(replay.sessionId, replay.user,
				new ErrorPayload(
						"replay-truncated", "More than " + max + " messages were missed: the latest " + max
								+ " are replayed, from seq " + first + "; fetch the ones before with " + rest,
						replay.destination, null));
		return latest;
	}

	/**
	 * To the session's own outbound path, as a live message would go; a room message with
	 * its {@code seq} as a header too, as live ones have it.
	 */
	private void write(Pending replay, Object stored) {
		SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		headers.setSessionId(replay.sessionId);
		headers.setSubscriptionId(replay.subscriptionId);
		headers.setDestination(replay.destination);
		headers.setContentType(MimeTypeUtils.APPLICATION_JSON);
		if (stored instanceof RoomMessage room) {
			headers.setNativeHeader(SEQ_HEADER, Long.toString(room.seq()));
		}
		headers.setLeaveMutable(true);
		this.sessions.handleMessage(
				MessageBuilder.createMessage(this.jsonMapper.writeValueAsBytes(stored), headers.getMessageHeaders()));
	}

	private long seqOf(Object stored) {
		if (stored instanceof RoomMessage room) {
			return room.seq();
		}
		if (stored instanceof DirectMessage direct) {
			return direct.seq();
		}
		if (stored instanceof Message<?> message) {
			// Room messages carry their seq as a header; parsing the body is for the
			// rest.
			String header = NativeMessageHeaderAccessor.getFirstNativeHeader(SEQ_HEADER, message.getHeaders());
			if (header != null) {
				return Long.parseLong(header);
			}
			if (message.getPayload() instanceof byte[] json) {
				return this.jsonMapper.readTree(json).path("seq").asLong(Long.MAX_VALUE);
			}
		}
		return Long.MAX_VALUE;
	}

	private static String key(String sessionId, String subscriptionId) {
		return sessionId + '\u0000' + subscriptionId;
	}

}
