package dev.parley.room;

import java.security.Principal;

import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.stereotype.Controller;

import dev.parley.messaging.Senders;
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
	void join(@Valid @Payload RoomRequests.Join request, Principal principal,
			@Header(SimpMessageHeaderAccessor.SESSION_ID_HEADER) String sessionId) {
		this.rooms.join(request.room(), Senders.requireSelf(principal, request.username()), sessionId);
	}

	@MessageMapping("chat.send")
	void send(@Valid @Payload RoomRequests.Send request, Principal principal,
			@Header(SimpMessageHeaderAccessor.SESSION_ID_HEADER) String sessionId,
			@Header(name = "receipt", required = false) @Nullable String receipt) {
		String sender = Senders.requireSelf(principal, request.sender());
		this.replies.afterStoring(this.rooms.send(request.room(), sender, request.content(), request.clientMessageId()),
				sessionId, sender, "/app/chat.send", receipt);
	}

	@MessageMapping("chat.leave")
	void leave(@Valid @Payload RoomRequests.Leave request, Principal principal,
			@Header(SimpMessageHeaderAccessor.SESSION_ID_HEADER) String sessionId) {
		this.rooms.leave(request.room(), principal.getName(), sessionId);
	}

	@MessageMapping("chat.typing")
	void typing(@Valid @Payload RoomRequests.Typing request, Principal principal) {
		this.rooms.typing(request.room(), principal.getName(), request.typing());
	}

}
