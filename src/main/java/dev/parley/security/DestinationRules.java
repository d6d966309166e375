package dev.parley.security;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import dev.parley.protocol.Protocol;

/**
 * Which destinations a client may send to and subscribe to (docs/protocol.md, sections 2
 * and 3). Destinations are matched whole against strict patterns, so {@code ..}, encoded
 * characters, wildcards and resolved user queues ({@code /queue/private-user...}) never
 * match.
 */
final class DestinationRules {

	private static final Pattern SEND = Pattern.compile(Pattern.quote(Protocol.APP_PREFIX) + "/[a-z]+(\\.[a-z]+)?");

	private static final String ROOM_TOPICS = Pattern.quote(Protocol.ROOM_TOPIC_PREFIX) + "(" + Protocol.ROOM_NAME
			+ ")(" + Pattern.quote(Protocol.ROOM_USERS_SUFFIX) + "|" + Pattern.quote(Protocol.ROOM_TYPING_SUFFIX)
			+ ")?";

	private static final Pattern SUBSCRIBE = Pattern.compile(Stream
		.of(Protocol.MESSAGES_TOPIC, Protocol.ANNOUNCEMENTS_TOPIC, Protocol.PRESENCE_TOPIC,
				Protocol.USER_PREFIX + Protocol.PRIVATE_QUEUE, Protocol.USER_PREFIX + Protocol.NOTIFICATIONS_QUEUE,
				Protocol.USER_PREFIX + Protocol.ERRORS_QUEUE)
		.map(Pattern::quote)
		.collect(Collectors.joining("|")) + "|" + ROOM_TOPICS);

	private static final Pattern ROOM_TOPIC = Pattern.compile(ROOM_TOPICS);

	private DestinationRules() {
	}

	static boolean maySend(@Nullable String destination) {
		return destination != null && SEND.matcher(destination).matches();
	}

	static boolean maySubscribe(@Nullable String destination) {
		return destination != null && SUBSCRIBE.matcher(destination).matches();
	}

	/** The room a destination belongs to, or null when it is not a room topic. */
	static @Nullable String roomOf(@Nullable String destination) {
		if (destination == null) {
			return null;
		}
		Matcher matcher = ROOM_TOPIC.matcher(destination);
		return matcher.matches() ? matcher.group(1) : null;
	}

}
