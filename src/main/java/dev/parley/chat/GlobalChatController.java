package dev.parley.chat;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.stereotype.Controller;

import dev.parley.limits.ChatText;
import dev.parley.messaging.Caller;
import dev.parley.protocol.Protocol;

/**
 * Global chat: {@code /app/chat} to everyone on {@code /topic/messages}.
 */
@Controller
class GlobalChatController {

	private final Clock clock;

	GlobalChatController(Clock clock) {
		this.clock = clock;
	}

	@MessageMapping("chat")
	@SendTo(Protocol.MESSAGES_TOPIC)
	ChatMessage chat(@Valid @Payload Request request, Caller caller) {
		String sender = caller.requireSelf(request.sender());
		return new ChatMessage(UUID.randomUUID().toString(), "message", sender, request.text(), this.clock.instant());
	}

	/** What a client sends; {@code type}, when given, is {@code message}. */
	record Request(@Nullable @Pattern(regexp = "message", message = "must be 'message'") String type,
			@ChatText String text, @Nullable String sender) {
	}

	/** What {@code /topic/messages} carries. */
	record ChatMessage(String id, String type, String sender, String text, Instant timestamp) {
	}

}
