package dev.parley.room;

import java.security.Principal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.parley.api.ApiProblem;
import dev.parley.limits.WriteThrottle;
import dev.parley.protocol.Protocol;
import dev.parley.security.Role;

/**
 * {@code GET /api/rooms}, {@code POST /api/rooms}, {@code POST /api/rooms/{room}/members}
 * and {@code DELETE /api/rooms/{room}/members/{username}}. Writes are held to the user's
 * write rate ({@link WriteThrottle}).
 */
@RestController
class RoomRestController {

	private final RoomDirectory directory;

	private final RoomService rooms;

	private final WriteThrottle throttle;

	RoomRestController(RoomDirectory directory, RoomService rooms, WriteThrottle throttle) {
		this.directory = directory;
		this.rooms = rooms;
		this.throttle = throttle;
	}

	/**
	 * Rooms this user can see: created rooms (private ones only for members) and public
	 * rooms in use. A private room counts its members; a public room counts the users in
	 * it now.
	 */
	@GetMapping("/api/rooms")
	List<RoomView> list(Principal principal) {
		Map<String, RoomView> views = new TreeMap<>();
		Map<String, Integer> present = this.rooms.occupancy();
		present.forEach((name, count) -> views.put(name, new RoomView(name, false, count)));
		for (RoomDirectory.RoomCount room : this.directory.visibleTo(principal.getName())) {
			int count = room.isPrivate() ? room.members() : present.getOrDefault(room.name(), 0);
			views.put(room.name(), new RoomView(room.name(), room.isPrivate(), count));
		}
		views.keySet().removeIf((name) -> !this.directory.mayEnter(name, principal.getName()));
		return List.copyOf(views.values());
	}

	@PostMapping("/api/rooms")
	@ResponseStatus(HttpStatus.CREATED)
	RoomView create(@Valid @RequestBody CreateRoom request, Authentication principal) {
		throttle(principal);
		Set<String> members = new LinkedHashSet<>();
		if (request.isPrivate()
				&& (this.rooms.occupancy().containsKey(request.name()) || this.directory.hasHistory(request.name()))) {
			// Making a room private that people use (or used) as a public one would lock
			// them out of it, or, worse, leave those subscribed now reading a room that
			// believes it is private.
			throw new ApiProblem(HttpStatus.CONFLICT,
					"Room '" + request.name() + "' is in use as a public room; choose another name for a private room");
		}
		if (request.isPrivate()) {
			members.add(principal.getName());
			if (request.members() != null) {
				members.addAll(request.members());
			}
		}
		if (!this.directory.create(request.name(), request.isPrivate(), principal.getName(), members)) {
			throw new ApiProblem(HttpStatus.CONFLICT, "Room '" + request.name() + "' exists");
		}
		if (request.isPrivate()) {
			// Whoever subscribed to the name while it was an unused public room must not
			// read on.
			this.rooms.accessChanged(request.name());
		}
		int count = request.isPrivate() ? members.size() : this.rooms.occupancy().getOrDefault(request.name(), 0);
		return new RoomView(request.name(), request.isPrivate(), count);
	}

	@PostMapping("/api/rooms/{room}/members")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void addMember(@PathVariable String room, @Valid @RequestBody AddMember request, Authentication principal) {
		throttle(principal);
		privateRoomOf(room, principal);
		this.directory.addMember(room, request.username());
	}

	/**
	 * Removes a member from a private room: the room's creator or an {@code ADMIN} may
	 * remove anyone, a member may remove only themself (leave for good). The removed
	 * user's subscriptions to the room end and its sessions leave it at once.
	 */
	@DeleteMapping("/api/rooms/{room}/members/{username}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void removeMember(@PathVariable String room, @PathVariable String username, Authentication principal) {
		throttle(principal);
		RoomDirectory.StoredRoom stored = privateRoomOf(room, principal);
		boolean admin = Role.ADMIN.isHeldBy(principal);
		if (!username.equals(principal.getName()) && !stored.createdBy().equals(principal.getName()) && !admin) {
			throw new ApiProblem(HttpStatus.FORBIDDEN,
					"Only the room's creator or an administrator may remove other members");
		}
		if (!this.directory.removeMember(room, username)) {
			throw new ApiProblem(HttpStatus.NOT_FOUND, "'" + username + "' is not a member of room '" + room + "'");
		}
		this.rooms.accessChanged(room);
	}

	/**
	 * Holds a user's writes to the SEND rate; backend services are trusted to pace
	 * themselves.
	 */
	private void throttle(Authentication caller) {
		if (!Role.SERVICE.isHeldBy(caller)) {
			this.throttle.acquire(caller.getName());
		}
	}

	/**
	 * The private room, for one of its members (or an administrator); 404 to anyone else,
	 * 409 for a public room.
	 */
	private RoomDirectory.StoredRoom privateRoomOf(String room, Authentication principal) {
		RoomDirectory.StoredRoom stored = this.directory.find(room)
			.orElseThrow(() -> new ApiProblem(HttpStatus.NOT_FOUND, "No room '" + room + "'"));
		if (!stored.isPrivate()) {
			throw new ApiProblem(HttpStatus.CONFLICT, "Room '" + room + "' is public: everyone may enter it");
		}
		boolean admin = Role.ADMIN.isHeldBy(principal);
		if (!admin && !this.directory.isMember(room, principal.getName())) {
			// Not revealing more than the listing does: to a non-member the room does not
			// exist.
			throw new ApiProblem(HttpStatus.NOT_FOUND, "No room '" + room + "'");
		}
		return stored;
	}

	/** A room as the API shows it. */
	record RoomView(String name, @JsonProperty("private") boolean isPrivate, int memberCount) {
	}

	/** {@code POST /api/rooms}. */
	record CreateRoom(@NotNull @Pattern(regexp = Protocol.ROOM_NAME, message = Protocol.ROOM_NAME_MESSAGE) String name,
			@JsonProperty("private") boolean isPrivate,
			@Nullable @Size(max = 1000) List<@NotNull @Pattern(regexp = Protocol.USER_NAME,
					message = Protocol.USER_NAME_MESSAGE) String> members) {
	}

	/** {@code POST /api/rooms/{room}/members}. */
	record AddMember(
			@NotNull @Pattern(regexp = Protocol.USER_NAME, message = Protocol.USER_NAME_MESSAGE) String username) {
	}

}
