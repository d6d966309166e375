package dev.parley.room;

import jakarta.validation.Valid;

import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.stereotype.Controller;

import dev.parley.messaging.Caller;
import dev.parley.messaging.StoredReplies;

/**
 * The room destinations under {@code /app/chat.*}.
 */
@Controller
class RoomController {

	private final RoomService rooms;

	private final StoredReplies replies;

	RoomController(RoomService rooms, StoredReplies replies) {
		this.rooms = rooms;
		this.replies = replies;
	}

	@MessageMapping("chat.join")
	void join(@Valid @Payload RoomRequests.Join request, Caller caller) {
		this.rooms.join(request.room(), caller.requireSelf(request.username()), caller.sessionId());
	}

	@MessageMapping("chat.send")
	void send(@Valid @Payload RoomRequests.Send request, Caller caller) {
		String sender = caller.requireSelf(request.sender());
		this.replies.afterStoring(this.rooms.send(request.room(), sender, request.content(), request.clientMessageId()),
				caller.sessionId(), sender, "/app/chat.send", caller.receipt());
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
