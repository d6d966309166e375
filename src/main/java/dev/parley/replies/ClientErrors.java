package dev.parley.replies;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Lazy;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageSendingOperations;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;

import dev.parley.protocol.Protocol;

/**
 * Tells one client session that a frame was refused: on its {@code /user/queue/errors}
 * when the session may go on, or with an {@code ERROR} frame, after which Spring closes
 * the socket, when it may not.
 * <p>
 * Interceptors on the inbound channel use this rather than throwing: with per-session
 * receive order preserved, Spring catches and logs what an interceptor throws, and the
 * client would hear nothing.
 */
@Component
public class ClientErrors {

	private final MessageChannel clientOutboundChannel;

	private final SimpMessageSendingOperations messaging;

	private final Rejections rejections;

	/**
	 * Both are Spring's own messaging beans, which depend on the interceptors that use
	 * this, hence lazy.
	 */
	ClientErrors(@Lazy @Qualifier("clientOutboundChannel") MessageChannel clientOutboundChannel,
			@Lazy SimpMessageSendingOperations messaging, Rejections rejections) {
		this.clientOutboundChannel = clientOutboundChannel;
		this.messaging = messaging;
		this.rejections = rejections;
	}

	/** Sends an error to this session only; the session stays open. */
	public void report(String sessionId, String user, ErrorPayload error) {
		this.rejections.countError(error.error());
		SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		headers.setSessionId(sessionId);
		headers.setLeaveMutable(true);
		this.messaging.convertAndSendToUser(user, Protocol.ERRORS_QUEUE, error, headers.getMessageHeaders());
	}

	/**
	 * Sends an {@code ERROR} frame whose {@code message} header says why; the socket is
	 * closed after it. The frame goes straight to the outbound channel, not through the
	 * broker's per-session ordering, so it can overtake messages still queued for the
	 * session; those are lost with the connection (a client recovers room messages on
	 * reconnect with {@code since-seq}).
	 */
	public void closeWithError(String sessionId, String message, @Nullable String receiptId) {
		this.rejections.count(message.startsWith("Unauthorized") ? "auth"
				: message.startsWith("Forbidden") ? "authorization" : "rate-limit");
		StompHeaderAccessor headers = StompHeaderAccessor.create(StompCommand.ERROR);
		headers.setSessionId(sessionId);
		headers.setMessage(message);
		if (receiptId != null) {
			headers.setReceiptId(receiptId);
		}
		this.clientOutboundChannel.send(MessageBuilder.createMessage(new byte[0], headers.getMessageHeaders()));
	}

}
