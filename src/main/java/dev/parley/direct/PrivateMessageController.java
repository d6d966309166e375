package dev.parley.direct;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.stereotype.Controller;

import dev.parley.history.DirectMessage;
import dev.parley.history.Draft;
import dev.parley.history.MessageWriter;
import dev.parley.limits.ChatText;
import dev.parley.messaging.Caller;
import dev.parley.messaging.UserDelivery;
import dev.parley.protocol.Protocol;
import dev.parley.replies.StoredReply;

/**
 * Private messages: {@code /app/private} is stored, then delivered to the recipient's
 * {@code /user/queue/private} and echoed on the sender's.
 */
@Controller
class PrivateMessageController {

	static final String QUEUE = Protocol.PRIVATE_QUEUE;

	private final UserDelivery delivery;

	private final MessageWriter writer;

	PrivateMessageController(UserDelivery delivery, MessageWriter writer) {
		this.delivery = delivery;
		this.writer = writer;
	}

	/** Stored: the receipt comes after the commit. */
	@MessageMapping("private")
	StoredReply send(@Valid @Payload Request request, Caller caller) {
		String sender = caller.requireSelf(request.sender());
		Draft.Direct draft = new Draft.Direct(sender, request.recipient(), request.text(), request.clientMessageId());
		return new StoredReply(this.writer.append(draft, (stored) -> deliver((DirectMessage) stored.message())));
	}

	private void deliver(DirectMessage message) {
		this.delivery.toUser(message.recipient(), QUEUE, message);
		if (!message.recipient().equals(message.sender())) {
			this.delivery.toUser(message.sender(), QUEUE, message);
		}
	}

	/** What a client sends. */
	record Request(
			@NotNull @Pattern(regexp = Protocol.USER_NAME, message = Protocol.USER_NAME_MESSAGE) String recipient,
			@ChatText String text, @Nullable String sender, @Nullable @Size(max = 128) String clientMessageId) {
	}

}
