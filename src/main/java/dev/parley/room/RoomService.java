package dev.parley.room;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.messaging.simp.SimpMessageSendingOperations;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Service;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

import dev.parley.history.Draft;
import dev.parley.history.MessageStore;
import dev.parley.history.MessageWriter;
import dev.parley.history.RoomMessage;
import dev.parley.protocol.Protocol;
import dev.parley.replies.ChatException;

/**
 * The rules of rooms: joining, leaving (explicitly or by disconnecting), sending and
 * typing. A user is in a room while at least one of the user's sessions is; {@code JOIN}
 * and {@code LEAVE} mark the first and the last. A disconnected session counts for
 * {@code parley.rooms.leave-grace} more, so a reconnect goes unnoticed. Room messages are
 * stored first and published by the writer's publisher thread after the commit, in
 * {@code seq} order; user lists are published under the room's monitor, so every
 * subscriber sees them in the order they changed.
 */
@Service
class RoomService {

	private static final Log logger = LogFactory.getLog(RoomService.class);

	private final SimpMessageSendingOperations messaging;

	private final RoomDirectory directory;

	private final MessageWriter writer;

	private final Map<String, Room> rooms = new ConcurrentHashMap<>();

	/**
	 * The rooms each session joined; {@link #CLOSED} for a session that disconnected a
	 * short while ago.
	 */
	private final Map<String, Set<String>> roomsBySession = new ConcurrentHashMap<>();

	/**
	 * A tombstone: a join still queued when its session disconnected is handled after the
	 * disconnect, and must not put a closed session into a room, where nothing would ever
	 * take it out.
	 */
	private static final Set<String> CLOSED = Collections.unmodifiableSet(new HashSet<>());

	/** How long a tombstone stays: far longer than a frame waits in the inbound queue. */
	private static final Duration TOMBSTONE = Duration.ofMinutes(1);

	/** The place kept in a room, after a restart, for a user who was in it before. */
	static final String RESTORED = "restored-before-restart";

	private final RoomPresenceStore presence;

	private final Duration restartGrace;

	private volatile boolean stopping;

	/** When a change of access is announced again (see {@link #accessChanged}). */
	static final List<Duration> ACCESS_RECHECKS = List.of(Duration.ofSeconds(2), Duration.ofSeconds(10));

	private final ApplicationEventPublisher events;

	private final Duration leaveGrace;

	private final Duration accessRefresh;

	private final TaskScheduler scheduler;

	private final RoomOccupancy occupancy;

	@Autowired
	RoomService(SimpMessageSendingOperations messaging, RoomDirectory directory, MessageWriter writer,
			RoomProperties properties, @Lazy @Qualifier("messageBrokerTaskScheduler") TaskScheduler scheduler,
			ApplicationEventPublisher events, RoomPresenceStore presence, ObjectProvider<RoomOccupancy> occupancy) {
		this(messaging, directory, writer, properties, scheduler, events, presence,
				occupancy.getIfAvailable(() -> RoomOccupancy.LOCAL));
	}

	/** On one node. */
	RoomService(SimpMessageSendingOperations messaging, RoomDirectory directory, MessageWriter writer,
			RoomProperties properties, TaskScheduler scheduler, ApplicationEventPublisher events,
			RoomPresenceStore presence) {
		this(messaging, directory, writer, properties, scheduler, events, presence, RoomOccupancy.LOCAL);
	}

	private RoomService(SimpMessageSendingOperations messaging, RoomDirectory directory, MessageWriter writer,
			RoomProperties properties, TaskScheduler scheduler, ApplicationEventPublisher events,
			RoomPresenceStore presence, RoomOccupancy occupancy) {
		this.occupancy = occupancy;
		this.events = events;
		this.presence = presence;
		this.restartGrace = properties.restartGrace();
		this.messaging = messaging;
		this.directory = directory;
		this.writer = writer;
		this.leaveGrace = properties.leaveGrace();
		this.accessRefresh = properties.accessRefresh();
		this.scheduler = scheduler;
	}

	void join(String roomName, String user, String sessionId) {
		if (!this.directory.mayEnter(roomName, user)) {
			throw new ChatException("forbidden", "Room '" + roomName + "' is private: members only");
		}
		Set<String> joined = this.roomsBySession.computeIfAbsent(sessionId, (key) -> ConcurrentHashMap.newKeySet());
		if (joined == CLOSED) {
			return;
		}
		joined.add(roomName);
		while (true) {
			Room room = room(roomName);
			synchronized (room) {
				if (room.isRetired()) {
					// Emptied and dropped meanwhile: take the one that replaces it.
					continue;
				}
				if (this.roomsBySession.get(sessionId) == CLOSED) {
					// Disconnected while this join waited: its leave may have run
					// already.
					return;
				}
				if (room.add(user, sessionId)) {
					if (!this.occupancy.isShared()) {
						// Recorded first: a user seen in the room's list is in the
						// database
						// for the next start.
						this.presence.arrived(roomName, user);
					}
					if (this.occupancy.arrived(roomName, user)) {
						announce(roomName, RoomMessage.Type.JOIN, user + " joined the chat");
					}
					publishUsers(room);
				}
				// Back after a restart: the place kept for the user is taken, quietly.
				room.remove(user, RESTORED);
				return;
			}
		}
	}

	void leave(String roomName, String user, String sessionId) {
		Set<String> joined = this.roomsBySession.get(sessionId);
		if (joined != null && joined != CLOSED) {
			joined.remove(roomName);
		}
		Room room = this.rooms.get(roomName);
		if (room != null) {
			leaveRoom(room, user, sessionId);
		}
	}

	/**
	 * Stores a message and publishes it after the commit.
	 * @return completes with the stored message (the original one for a repeated
	 * {@code clientMessageId})
	 */
	CompletableFuture<MessageStore.Stored> send(String roomName, String user, String content,
			@Nullable String clientMessageId) {
		requireMember(roomName, user);
		return store(new Draft.Room(roomName, RoomMessage.Type.CHAT, user, content, clientMessageId));
	}

	/**
	 * A message posted over REST: no need to have joined, the caller was checked by the
	 * controller.
	 */
	CompletableFuture<MessageStore.Stored> post(String roomName, String sender, RoomMessage.Type type, String content) {
		return store(new Draft.Room(roomName, type, sender, content, null));
	}

	void typing(String roomName, String user, boolean typing) {
		requireMember(roomName, user);
		this.messaging.convertAndSend(topic(roomName) + Protocol.ROOM_TYPING_SUFFIX,
				new RoomRequests.TypingIndicator(user, typing));
	}

	/** Rooms with at least one user in them, and how many. */
	Map<String, Integer> occupancy() {
		Map<String, Integer> occupancy = new TreeMap<>();
		for (Room room : this.rooms.values()) {
			synchronized (room) {
				int users = room.userCount();
				if (users > 0) {
					occupancy.put(room.name(), users);
				}
			}
		}
		return occupancy;
	}

	@EventListener
	void onDisconnect(SessionDisconnectEvent event) {
		String sessionId = event.getSessionId();
		Set<String> joined = this.roomsBySession.put(sessionId, CLOSED);
		if (this.stopping) {
			// The node is going down (a drain closes every session): its users stay in
			// their rooms, in the database, for the next start to take up.
			return;
		}
		later(() -> this.roomsBySession.remove(sessionId, CLOSED), this.leaveGrace.plus(TOMBSTONE), false);
		if (joined == null || joined == CLOSED || event.getUser() == null) {
			return;
		}
		String user = event.getUser().getName();
		Runnable leave = () -> joined.forEach((roomName) -> {
			Room room = this.rooms.get(roomName);
			if (room != null && !this.stopping) {
				leaveRoom(room, user, event.getSessionId());
			}
		});
		if (this.leaveGrace.isZero()) {
			leave.run();
		}
		else {
			// The session still counts for the grace period: a reconnect that joins again
			// is not a LEAVE and a JOIN.
			later(leave, this.leaveGrace, true);
		}
	}

	/**
	 * Marks the node as stopping before any other listener of the close acts: the drain
	 * closes every session, and the task scheduler stops taking tasks (so a leave would
	 * run at once) on this same event.
	 */
	@EventListener(ContextClosedEvent.class)
	@Order(Ordered.HIGHEST_PRECEDENCE)
	void onStop() {
		this.stopping = true;
	}

	/**
	 * After a restart, puts the users who were in each room back in it, on a place of
	 * their own ({@link #RESTORED}): their reconnect within
	 * {@code parley.rooms.restart-grace} takes it quietly, and those who do not come back
	 * leave, with a {@code LEAVE}, at its end.
	 */
	@EventListener(ApplicationStartedEvent.class)
	void restorePresence() {
		if (this.occupancy.isShared()) {
			// The other nodes cover a restart: this node's users stay in their rooms
			// until the cluster declares it gone.
			return;
		}
		List<RoomPresenceStore.Presence> before;
		try {
			before = this.presence.all();
		}
		catch (org.springframework.dao.DataAccessException ex) {
			logger.warn("Could not read who was in which room before the restart: " + ex.getMessage());
			return;
		}
		for (RoomPresenceStore.Presence present : before) {
			Room room = room(present.room());
			synchronized (room) {
				room.add(present.user(), RESTORED);
			}
		}
		if (!before.isEmpty()) {
			logger.info(before.size() + " user(s) kept in their rooms for " + this.restartGrace.toSeconds()
					+ " s after the restart");
			later(() -> before.forEach((present) -> {
				Room room = this.rooms.get(present.room());
				if (room != null) {
					leaveRoom(room, present.user(), RESTORED);
				}
			}), this.restartGrace, false);
		}
	}

	/**
	 * Reads who may enter the private rooms, then again every
	 * {@code parley.rooms.access-refresh}: a room made private or with a member removed
	 * through another node has its subscribers and users here that may no longer enter it
	 * taken out, as if the change had been made here.
	 */
	@EventListener(ApplicationStartedEvent.class)
	void watchRoomAccess() {
		this.directory.refresh();
		this.scheduler.scheduleWithFixedDelay(() -> this.directory.refresh().forEach(this::accessChanged),
				Instant.now().plus(this.accessRefresh), this.accessRefresh);
	}

	/**
	 * Tells every module that fewer users may enter the room, now and twice more a little
	 * later: a join or a {@code SUBSCRIBE} checked just before the change may take effect
	 * just after a pass (a check can wait on a slow database for up to its connection
	 * timeout).
	 */
	void accessChanged(String roomName) {
		RoomAccessChanged event = new RoomAccessChanged(roomName);
		this.events.publishEvent(event);
		for (Duration delay : ACCESS_RECHECKS) {
			this.scheduler.schedule(() -> this.events.publishEvent(event), Instant.now().plus(delay));
		}
	}

	/**
	 * Takes out of the room every user who may no longer enter it, with a {@code LEAVE}
	 * each; their sessions would otherwise go on sending to it. Their subscriptions are
	 * ended by the security module.
	 */
	@EventListener
	void onAccessChanged(RoomAccessChanged event) {
		Room room = this.rooms.get(event.room());
		if (room == null) {
			return;
		}
		List<String> users;
		synchronized (room) {
			users = room.users();
		}
		for (String user : users) {
			if (!this.directory.mayEnter(room.name(), user)) {
				Set<String> sessions;
				synchronized (room) {
					sessions = room.sessionsOf(user);
				}
				for (String sessionId : sessions) {
					leave(room.name(), user, sessionId);
				}
			}
		}
	}

	/**
	 * Runs a task after a delay. While the node shuts down (a drain closes every session)
	 * the scheduler may have stopped already: the task then runs at once when it still
	 * matters, and is dropped when it does not.
	 */
	private void later(Runnable task, Duration delay, boolean runAtOnceWhenStopped) {
		try {
			this.scheduler.schedule(task, Instant.now().plus(delay));
		}
		catch (TaskRejectedException ex) {
			if (runAtOnceWhenStopped) {
				task.run();
			}
		}
	}

	private void leaveRoom(Room room, String user, String sessionId) {
		synchronized (room) {
			if (room.remove(user, sessionId)) {
				if (this.occupancy.left(room.name(), user)) {
					announce(room.name(), RoomMessage.Type.LEAVE, user + " left the chat");
				}
				publishUsers(room);
				if (!this.occupancy.isShared()) {
					this.presence.left(room.name(), user);
				}
			}
			if (room.userCount() == 0 && !room.isRetired()) {
				// An empty room holds nothing worth keeping (its messages and seq are in
				// the database).
				room.retire();
				this.rooms.remove(room.name(), room);
			}
		}
	}

	/**
	 * Looks the room up without creating it, so probing room names leaves nothing behind.
	 */
	private void requireMember(String roomName, String user) {
		Room room = this.rooms.get(roomName);
		boolean member = false;
		if (room != null) {
			synchronized (room) {
				member = room.contains(user);
			}
		}
		if (!member) {
			throw new ChatException("not-joined", "Join room '" + roomName + "' (/app/chat.join) before sending to it");
		}
	}

	private void announce(String roomName, RoomMessage.Type type, String content) {
		store(new Draft.Room(roomName, type, Protocol.SYSTEM_SENDER, content, null)).whenComplete((stored, ex) -> {
			if (ex != null) {
				logger.warn("Could not store the " + type + " notice of room " + roomName + ": " + ex.getMessage());
			}
		});
	}

	private CompletableFuture<MessageStore.Stored> store(Draft.Room draft) {
		return this.writer.append(draft, (stored) -> this.messaging.convertAndSend(topic(draft.room()),
				stored.message(), Map.of(Protocol.SEQ_HEADER, Long.toString(((RoomMessage) stored.message()).seq()))));
	}

	private void publishUsers(Room room) {
		this.messaging.convertAndSend(topic(room.name()) + Protocol.ROOM_USERS_SUFFIX,
				this.occupancy.users(room.name(), room.users()));
	}

	/** The last node that had the user in the room is gone: the user leaves it. */
	@EventListener
	void onVacated(RoomOccupancy.Vacated event) {
		announce(event.room(), RoomMessage.Type.LEAVE, event.user() + " left the chat");
		Room room = this.rooms.get(event.room());
		List<String> here = List.of();
		if (room != null) {
			synchronized (room) {
				here = room.users();
			}
		}
		this.messaging.convertAndSend(topic(event.room()) + Protocol.ROOM_USERS_SUFFIX,
				this.occupancy.users(event.room(), here));
	}

	private Room room(String name) {
		return this.rooms.computeIfAbsent(name, Room::new);
	}

	static String topic(String room) {
		return Protocol.roomTopic(room);
	}

}
