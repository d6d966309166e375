package dev.parley.room;

import java.security.Principal;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.parley.api.ApiProblem;
import dev.parley.security.JwtVerifier;

/**
 * {@code GET /api/rooms}, {@code POST /api/rooms} and {@code POST /api/rooms/{room}/members}.
 */
@RestController
class RoomRestController {

	private final RoomDirectory directory;

	private final RoomService rooms;

	RoomRestController(RoomDirectory directory, RoomService rooms) {
		this.directory = directory;
		this.rooms = rooms;
	}

	/**
	 * Rooms this user can see: created rooms (private ones only for members) and public rooms in use. A private
	 * room counts its members; a public room counts the users in it now.
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
	RoomView create(@Valid @RequestBody CreateRoom request, Principal principal) {
		Set<String> members = new LinkedHashSet<>();
		if (request.isPrivate() && (this.rooms.occupancy().containsKey(request.name())
				|| this.directory.hasHistory(request.name()))) {
			// Making a room private that people use (or used) as a public one would lock them out of it, or,
			// worse, leave those subscribed now reading a room that believes it is private.
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
		int count = request.isPrivate() ? members.size() : this.rooms.occupancy().getOrDefault(request.name(), 0);
		return new RoomView(request.name(), request.isPrivate(), count);
	}

	@PostMapping("/api/rooms/{room}/members")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void addMember(@PathVariable String room, @Valid @RequestBody AddMember request, Principal principal) {
		RoomDirectory.StoredRoom stored = this.directory.find(room)
			.orElseThrow(() -> new ApiProblem(HttpStatus.NOT_FOUND, "No room '" + room + "'"));
		if (!stored.isPrivate()) {
			throw new ApiProblem(HttpStatus.CONFLICT, "Room '" + room + "' is public: everyone may enter it");
		}
		if (!this.directory.isMember(room, principal.getName())) {
			// Not revealing more than the listing does: to a non-member the room does not exist.
			throw new ApiProblem(HttpStatus.NOT_FOUND, "No room '" + room + "'");
		}
		this.directory.addMember(room, request.username());
	}

	/** A room as the API shows it. */
	record RoomView(String name, @JsonProperty("private") boolean isPrivate, int memberCount) {
	}

	/** {@code POST /api/rooms}. */
	record CreateRoom(
			@NotNull @Pattern(regexp = RoomRequests.ROOM_PATTERN, message = RoomRequests.ROOM_MESSAGE) String name,
			@JsonProperty("private") boolean isPrivate,
			@Nullable @Size(max = 1000) List<@NotNull @Pattern(regexp = JwtVerifier.USERNAME_PATTERN,
					message = "must be a username") String> members) {
	}

	/** {@code POST /api/rooms/{room}/members}. */
	record AddMember(
			@NotNull @Pattern(regexp = JwtVerifier.USERNAME_PATTERN, message = "must be a username") String username) {
	}

}
