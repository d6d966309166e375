package dev.parley.room;

import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.context.event.EventListener;
import org.springframework.messaging.simp.SimpMessageSendingOperations;
import org.springframework.stereotype.Service;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

import dev.parley.messaging.ChatException;

/**
 * The rules of rooms: joining, leaving (explicitly or by disconnecting), sending and typing. A user is in a room
 * while at least one of the user's sessions is; {@code JOIN} and {@code LEAVE} mark the first and the last.
 * Everything published about a room is published under the room's monitor, so every subscriber sees user lists
 * and sequence numbers in the order they were made.
 */
@Service
class RoomService {

	private final SimpMessageSendingOperations messaging;

	private final Clock clock;

	private final Map<String, Room> rooms = new ConcurrentHashMap<>();

	private final Map<String, Set<String>> roomsBySession = new ConcurrentHashMap<>();

	private final RoomDirectory directory;

	RoomService(SimpMessageSendingOperations messaging, Clock clock, RoomDirectory directory) {
		this.messaging = messaging;
		this.clock = clock;
		this.directory = directory;
	}

	void join(String roomName, String user, String sessionId) {
		if (!this.directory.mayEnter(roomName, user)) {
			throw new ChatException("forbidden", "Room '" + roomName + "' is private: members only");
		}
		Room room = room(roomName);
		synchronized (room) {
			this.roomsBySession.computeIfAbsent(sessionId, (key) -> ConcurrentHashMap.newKeySet()).add(roomName);
			if (room.add(user, sessionId)) {
				publish(room, user, RoomMessage.Type.JOIN, user + " joined the chat");
				publishUsers(room);
			}
		}
	}

	void leave(String roomName, String user, String sessionId) {
		Set<String> joined = this.roomsBySession.get(sessionId);
		if (joined != null) {
			joined.remove(roomName);
		}
		leaveRoom(room(roomName), user, sessionId);
	}

	RoomMessage send(String roomName, String user, String content) {
		Room room = room(roomName);
		synchronized (room) {
			requireMember(room, user);
			return publish(room, user, RoomMessage.Type.CHAT, content);
		}
	}

	void typing(String roomName, String user, boolean typing) {
		Room room = room(roomName);
		synchronized (room) {
			requireMember(room, user);
		}
		this.messaging.convertAndSend(topic(roomName) + "/typing", new RoomRequests.TypingIndicator(user, typing));
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
		Set<String> joined = this.roomsBySession.remove(event.getSessionId());
		if (joined == null || event.getUser() == null) {
			return;
		}
		String user = event.getUser().getName();
		for (String roomName : joined) {
			leaveRoom(room(roomName), user, event.getSessionId());
		}
	}

	private void leaveRoom(Room room, String user, String sessionId) {
		synchronized (room) {
			if (room.remove(user, sessionId)) {
				publish(room, "SYSTEM", RoomMessage.Type.LEAVE, user + " left the chat");
				publishUsers(room);
			}
		}
	}

	private static void requireMember(Room room, String user) {
		if (!room.contains(user)) {
			throw new ChatException("not-joined",
					"Join room '" + room.name() + "' (/app/chat.join) before sending to it");
		}
	}

	private RoomMessage publish(Room room, String sender, RoomMessage.Type type, String content) {
		String from = (type == RoomMessage.Type.CHAT) ? sender : "SYSTEM";
		RoomMessage message = new RoomMessage(UUID.randomUUID().toString(), from, content, room.name(),
				this.clock.instant(), type, room.nextSeq());
		this.messaging.convertAndSend(topic(room.name()), message);
		return message;
	}

	private void publishUsers(Room room) {
		this.messaging.convertAndSend(topic(room.name()) + "/users", room.users());
	}

	private Room room(String name) {
		return this.rooms.computeIfAbsent(name, Room::new);
	}

	private static String topic(String room) {
		return "/topic/chat/" + room;
	}

}
