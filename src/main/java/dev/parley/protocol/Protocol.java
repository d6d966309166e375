package dev.parley.protocol;

/**
 * The names the wire protocol (docs/protocol.md) fixes, defined once: destinations,
 * headers, and the forms a room name and a user name may take. Every module that speaks
 * to clients refers to these instead of repeating them.
 */
public final class Protocol {

	/**
	 * What a room name may be; it travels in destinations, so no slashes or wildcards.
	 */
	public static final String ROOM_NAME = "[A-Za-z0-9_-]{1,64}";

	/** The validation message for a room name that does not match {@link #ROOM_NAME}. */
	public static final String ROOM_NAME_MESSAGE = "must be 1 to 64 of A-Z, a-z, 0-9, _ and -";

	/**
	 * What a user name may be: a token's subject, and so any user named in a request.
	 * User names travel in destinations ({@code /user/{name}/...}): no slashes, no
	 * wildcards. Registration allows a narrower form.
	 */
	public static final String USER_NAME = "[A-Za-z0-9_.@-]{1,64}";

	/** The validation message for a user name that does not match {@link #USER_NAME}. */
	public static final String USER_NAME_MESSAGE = "must be a username";

	/**
	 * The sender of the server's own room messages (JOIN, LEAVE); no user may have this
	 * name.
	 */
	public static final String SYSTEM_SENDER = "SYSTEM";

	/**
	 * The prefix of application destinations, handled by the server's
	 * {@code @MessageMapping}s.
	 */
	public static final String APP_PREFIX = "/app";

	/** The prefix of a user's own destinations. */
	public static final String USER_PREFIX = "/user";

	/** The global chat. */
	public static final String MESSAGES_TOPIC = "/topic/messages";

	/** Announcements from backend services to everyone. */
	public static final String ANNOUNCEMENTS_TOPIC = "/topic/announcements";

	/** Who is online. */
	public static final String PRESENCE_TOPIC = "/topic/presence";

	/**
	 * The prefix of the room topics: {@code /topic/chat/{room}}, with {@code /users} and
	 * {@code /typing}.
	 */
	public static final String ROOM_TOPIC_PREFIX = "/topic/chat/";

	/** A room's list of users, below its topic. */
	public static final String ROOM_USERS_SUFFIX = "/users";

	/** A room's typing indicators, below its topic. */
	public static final String ROOM_TYPING_SUFFIX = "/typing";

	/** Private messages, below {@link #USER_PREFIX}. */
	public static final String PRIVATE_QUEUE = "/queue/private";

	/** Notifications from backend services, below {@link #USER_PREFIX}. */
	public static final String NOTIFICATIONS_QUEUE = "/queue/notifications";

	/** Errors about a client's own frames, below {@link #USER_PREFIX}. */
	public static final String ERRORS_QUEUE = "/queue/errors";

	/** The SUBSCRIBE header asking for a replay of the messages after a {@code seq}. */
	public static final String SINCE_SEQ_HEADER = "since-seq";

	/**
	 * The MESSAGE header carrying a stored message's {@code seq} in its room or
	 * conversation.
	 */
	public static final String SEQ_HEADER = "seq";

	private Protocol() {
	}

	/** The topic of a room. */
	public static String roomTopic(String room) {
		return ROOM_TOPIC_PREFIX + room;
	}

}
