package dev.parley.room;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import dev.parley.protocol.Protocol;
import dev.parley.api.ApiProblem;
import dev.parley.limits.ChatText;
import dev.parley.history.MessageStore;
import dev.parley.security.Role;
import dev.parley.history.RoomMessage;
import dev.parley.limits.WriteThrottle;

/**
 * {@code POST /api/rooms/{room}/messages}: a backend service (type {@code SERVICE}) or a
 * user who may enter the room (type {@code CHAT}) posts a message; it is stored and
 * broadcast like {@code /app/chat.send}, and the answer comes after the commit. A user's
 * posts are held to the same rate as its {@code SEND} frames ({@link WriteThrottle}); a
 * user need not have joined the room.
 */
@RestController
class RoomPostController {

	private final RoomService rooms;

	private final RoomDirectory directory;

	private final WriteThrottle throttle;

	RoomPostController(RoomService rooms, RoomDirectory directory, WriteThrottle throttle) {
		this.rooms = rooms;
		this.directory = directory;
		this.throttle = throttle;
	}

	@PostMapping("/api/rooms/{room}/messages")
	@ResponseStatus(HttpStatus.CREATED)
	RoomMessage post(@PathVariable String room, @Valid @RequestBody Post request, Authentication caller)
			throws InterruptedException {
		boolean service = Role.SERVICE.isHeldBy(caller);
		if (!service) {
			// Backend services are trusted to pace themselves, and post for many users.
			this.throttle.acquire(caller.getName());
		}
		if (!room.matches(Protocol.ROOM_NAME) || (!service && !this.directory.mayEnter(room, caller.getName()))) {
			throw new ApiProblem(HttpStatus.NOT_FOUND, "No room '" + room + "'");
		}
		RoomMessage.Type type = service ? RoomMessage.Type.SERVICE : RoomMessage.Type.CHAT;
		try {
			MessageStore.Stored stored = this.rooms.post(room, caller.getName(), type, request.content())
				.get(10, TimeUnit.SECONDS);
			return (RoomMessage) stored.message();
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "The message could not be stored; it was not sent");
		}
	}

	record Post(@ChatText String content) {
	}

}
