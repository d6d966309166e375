package dev.parley.room;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.parley.api.ApiProblem;
import dev.parley.history.RoomMessage;
import dev.parley.limits.ChatText;
import dev.parley.limits.WriteThrottle;
import dev.parley.messaging.BrokerAvailability;
import dev.parley.protocol.Protocol;
import dev.parley.security.Role;

/**
 * {@code POST /api/rooms/{room}/messages}: a backend service (type {@code SERVICE}) or a
 * user who may enter the room (type {@code CHAT}) posts a message; it is stored and
 * broadcast like {@code /app/chat.send}, and the answer comes after the commit. A user's
 * posts are held to the same rate as its {@code SEND} frames ({@link WriteThrottle}); a
 * user need not have joined the room. While the message broker is unavailable (in relay
 * mode, while RabbitMQ is out of reach) a post is refused with 503 before it is stored:
 * it could be stored but not broadcast.
 */
@RestController
class RoomPostController {

	/** How long a post waits for its commit before it is answered 503. */
	private static final Duration STORE_TIMEOUT = Duration.ofSeconds(10);

	/** When to try again after a 503 for the broker: the relay reconnects every 5 s. */
	private static final Duration BROKER_RETRY = Duration.ofSeconds(5);

	private final RoomService rooms;

	private final RoomDirectory directory;

	private final WriteThrottle throttle;

	private final BrokerAvailability broker;

	RoomPostController(RoomService rooms, RoomDirectory directory, WriteThrottle throttle, BrokerAvailability broker) {
		this.rooms = rooms;
		this.directory = directory;
		this.throttle = throttle;
		this.broker = broker;
	}

	/**
	 * Answers when the message is stored, without holding a servlet thread while it waits
	 * for the commit.
	 */
	@PostMapping("/api/rooms/{room}/messages")
	@ResponseStatus(HttpStatus.CREATED)
	CompletableFuture<RoomMessage> post(@PathVariable String room, @Valid @RequestBody Post request,
			Authentication caller) {
		boolean service = Role.SERVICE.isHeldBy(caller);
		if (!service) {
			// Backend services are trusted to pace themselves, and post for many users.
			this.throttle.acquire(caller.getName());
		}
		if (!room.matches(Protocol.ROOM_NAME) || (!service && !this.directory.mayEnter(room, caller.getName()))) {
			throw new ApiProblem(HttpStatus.NOT_FOUND, "No room '" + room + "'");
		}
		if (!this.broker.isAvailable()) {
			throw ApiProblem.serviceUnavailable(
					"The message broker is unavailable: the message was not stored or sent. Try again later.",
					BROKER_RETRY);
		}
		RoomMessage.Type type = service ? RoomMessage.Type.SERVICE : RoomMessage.Type.CHAT;
		return this.rooms.post(room, caller.getName(), type, request.content())
			.orTimeout(STORE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
			.handle((stored, ex) -> {
				if (ex != null) {
					throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE,
							"The message could not be stored; it was not sent");
				}
				return (RoomMessage) stored.message();
			});
	}

	record Post(@ChatText String content) {
	}

}
