package dev.parley.security;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Which destinations a client may send to and subscribe to (docs/protocol.md, sections 2 and 3). Destinations are
 * matched whole against strict patterns, so {@code ..}, encoded characters, wildcards and resolved user queues
 * ({@code /queue/private-user...}) never match.
 */
final class DestinationRules {

	private static final String ROOM = "[A-Za-z0-9_-]{1,64}";

	private static final Pattern SEND = Pattern.compile("/app/[a-z]+(\\.[a-z]+)?");

	private static final Pattern SUBSCRIBE = Pattern.compile("/topic/messages" + "|/topic/announcements"
			+ "|/topic/presence" + "|/topic/chat/" + ROOM + "(/users|/typing)?"
			+ "|/user/queue/(private|notifications|errors)");

	private static final Pattern ROOM_TOPIC = Pattern.compile("/topic/chat/(" + ROOM + ")(/users|/typing)?");

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
