package dev.parley.room;

import jakarta.validation.Valid;

import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.stereotype.Controller;

import dev.parley.messaging.Caller;
import dev.parley.replies.StoredReply;

/**
 * The room destinations under {@code /app/chat.*}.
 */
@Controller
class RoomController {

	private final RoomService rooms;

	RoomController(RoomService rooms) {
		this.rooms = rooms;
	}

	@MessageMapping("chat.join")
	void join(@Valid @Payload RoomRequests.Join request, Caller caller) {
		this.rooms.join(request.room(), caller.requireSelf(request.username()), caller.sessionId());
	}

	/** Stored: the receipt comes after the commit. */
	@MessageMapping("chat.send")
	StoredReply send(@Valid @Payload RoomRequests.Send request, Caller caller) {
		String sender = caller.requireSelf(request.sender());
		return new StoredReply(this.rooms.send(request.room(), sender, request.content(), request.clientMessageId()));
	}

	@MessageMapping("chat.leave")
	void leave(@Valid @Payload RoomRequests.Leave request, Caller caller) {
		this.rooms.leave(request.room(), caller.name(), caller.sessionId());
	}

	@MessageMapping("chat.typing")
	void typing(@Valid @Payload RoomRequests.Typing request, Caller caller) {
		this.rooms.typing(request.room(), caller.name(), request.typing());
	}

}
