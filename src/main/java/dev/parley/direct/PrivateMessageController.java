package dev.parley.direct;

import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.simp.SimpMessageSendingOperations;
import org.springframework.stereotype.Controller;

import dev.parley.messaging.ChatText;
import dev.parley.messaging.Senders;

/**
 * Private messages: {@code /app/private} to the recipient's {@code /user/queue/private}, echoed on the sender's.
 */
@Controller
class PrivateMessageController {

	static final String QUEUE = "/queue/private";

	private final SimpMessageSendingOperations messaging;

	private final Clock clock;

	PrivateMessageController(SimpMessageSendingOperations messaging, Clock clock) {
		this.messaging = messaging;
		this.clock = clock;
	}

	@MessageMapping("private")
	void send(@Valid @Payload Request request, Principal principal) {
		String sender = Senders.requireSelf(principal, request.sender());
		PrivateMessage message = new PrivateMessage(UUID.randomUUID().toString(), sender, request.recipient(),
				request.text(), this.clock.instant());
		this.messaging.convertAndSendToUser(request.recipient(), QUEUE, message);
		if (!request.recipient().equals(sender)) {
			this.messaging.convertAndSendToUser(sender, QUEUE, message);
		}
	}

	/** What a client sends. */
	record Request(
			@NotNull @Pattern(regexp = "[A-Za-z0-9_.@-]{1,64}", message = "must be a username") String recipient,
			@ChatText String text, @Nullable String sender) {
	}

	/** What {@code /user/queue/private} carries. */
	record PrivateMessage(String id, String sender, String recipient, String text, Instant timestamp) {
	}

}
