package dev.parley.room;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One room's presence: who is in it, through which sessions. Not thread-safe: callers
 * hold the room's monitor, which also orders the user lists published about the room.
 */
final class Room {

	private final String name;

	private final Map<String, Set<String>> sessionsByUser = new HashMap<>();

	/**
	 * Set when the last user left and the room was dropped from the registry; a new one
	 * replaces it.
	 */
	private boolean retired;

	Room(String name) {
		this.name = name;
	}

	String name() {
		return this.name;
	}

	/**
	 * @return whether the user arrived, i.e. had no session in the room before
	 */
	boolean add(String user, String sessionId) {
		Set<String> sessions = this.sessionsByUser.computeIfAbsent(user, (key) -> new HashSet<>());
		boolean arrived = sessions.isEmpty();
		sessions.add(sessionId);
		return arrived;
	}

	/**
	 * @return whether the user left, i.e. that was the user's last session in the room
	 */
	boolean remove(String user, String sessionId) {
		Set<String> sessions = this.sessionsByUser.get(user);
		if (sessions == null || !sessions.remove(sessionId)) {
			return false;
		}
		if (sessions.isEmpty()) {
			this.sessionsByUser.remove(user);
			return true;
		}
		return false;
	}

	/** The user's sessions in the room, a copy. */
	Set<String> sessionsOf(String user) {
		Set<String> sessions = this.sessionsByUser.get(user);
		return (sessions != null) ? Set.copyOf(sessions) : Set.of();
	}

	boolean contains(String user) {
		return this.sessionsByUser.containsKey(user);
	}

	boolean isRetired() {
		return this.retired;
	}

	void retire() {
		this.retired = true;
	}

	int userCount() {
		return this.sessionsByUser.size();
	}

	List<String> users() {
		return this.sessionsByUser.keySet().stream().sorted().toList();
	}

}
