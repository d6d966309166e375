package dev.parley.replies;

import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.support.AbstractSubscribableChannel;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;

/**
 * Counts down the handlers of an inbound frame, so that something can run once every
 * handler has handled it (the controller has run, the broker has registered the
 * subscription). The inbound channel hands a frame to each of its handlers separately, so
 * no single callback says "handled".
 */
public class HandlerCountdown {

	private final AtomicInteger remaining;

	protected HandlerCountdown(MessageChannel channel) {
		this.remaining = new AtomicInteger((channel instanceof AbstractSubscribableChannel subscribable)
				? subscribable.getSubscribers().size() : 1);
	}

	/**
	 * @return true for the call that counts down the last handler
	 */
	public boolean handled() {
		return this.remaining.decrementAndGet() == 0;
	}

	/** The frame, carrying this countdown in the given header. */
	public Message<?> attachTo(Message<?> message, String header) {
		MessageHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, MessageHeaderAccessor.class);
		if (accessor != null && accessor.isMutable()) {
			accessor.setHeader(header, this);
			return message;
		}
		return MessageBuilder.fromMessage(message).setHeader(header, this).build();
	}

}
