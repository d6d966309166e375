package dev.parley.replies;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Lazy;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;

/**
 * Sends STOMP {@code RECEIPT} frames. Spring's simple broker answers only
 * {@code DISCONNECT} receipts; Parley answers every frame's {@code receipt}: stored
 * messages after their commit, other frames once handled.
 */
@Component
public class Receipts {

	private final MessageChannel clientOutboundChannel;

	Receipts(@Lazy @Qualifier("clientOutboundChannel") MessageChannel clientOutboundChannel) {
		this.clientOutboundChannel = clientOutboundChannel;
	}

	public void send(String sessionId, String receiptId) {
		StompHeaderAccessor headers = StompHeaderAccessor.create(StompCommand.RECEIPT);
		headers.setSessionId(sessionId);
		headers.setReceiptId(receiptId);
		this.clientOutboundChannel.send(MessageBuilder.createMessage(new byte[0], headers.getMessageHeaders()));
	}

}
