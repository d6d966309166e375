package dev.parley.room;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.parley.api.ApiProblem;
import dev.parley.history.HistoryProperties;
import dev.parley.history.MessageStore;
import dev.parley.history.RoomMessage;
import dev.parley.limits.ReadThrottle;
import dev.parley.protocol.Protocol;
import dev.parley.security.Role;

/**
 * {@code GET /api/rooms/{room}/messages?after=&before=&limit=}: a room's stored messages
 * in {@code seq} order. With {@code after}, the oldest ones after it (catching up);
 * otherwise the newest ones before {@code before}, or before now (scrolling back). A
 * user's reads are held to {@code parley.limits.read-rate} ({@link ReadThrottle});
 * backend services are not.
 */
@RestController
class RoomHistoryController {

	static final int DEFAULT_LIMIT = 50;

	private final MessageStore store;

	private final RoomDirectory directory;

	private final HistoryProperties properties;

	private final ReadThrottle throttle;

	RoomHistoryController(MessageStore store, RoomDirectory directory, HistoryProperties properties,
			ReadThrottle throttle) {
		this.store = store;
		this.directory = directory;
		this.properties = properties;
		this.throttle = throttle;
	}

	@GetMapping("/api/rooms/{room}/messages")
	List<RoomMessage> messages(@PathVariable String room, @RequestParam(required = false) @Nullable Long after,
			@RequestParam(required = false) @Nullable Long before,
			@RequestParam(defaultValue = "" + DEFAULT_LIMIT) int limit, Authentication principal) {
		if (!Role.SERVICE.isHeldBy(principal)) {
			this.throttle.acquire(principal.getName());
		}
		if (!room.matches(Protocol.ROOM_NAME) || !this.directory.mayEnter(room, principal.getName())) {
			throw new ApiProblem(HttpStatus.NOT_FOUND, "No room '" + room + "'");
		}
		int checked = ApiProblem.requireBetween("limit", limit, 1, this.properties.maxPage());
		long upper = (before != null) ? before : Long.MAX_VALUE;
		return (after != null) ? this.store.roomAfter(room, after, upper, checked)
				: this.store.roomBefore(room, upper, checked);
	}

}
