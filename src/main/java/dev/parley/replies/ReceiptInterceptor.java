package dev.parley.replies;

import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ExecutorChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.stereotype.Component;

/**
 * Answers the {@code receipt} header of {@code SUBSCRIBE}, {@code UNSUBSCRIBE},
 * {@code SEND}, {@code ACK} and {@code NACK} frames once every handler of the inbound
 * channel has handled the frame (the broker has registered the subscription, the
 * controller has run). A handler that stores the message declares it by returning a
 * {@link StoredReply}, and its receipt comes after the commit instead; a frame the
 * application refused gets no receipt, only its error.
 */
@Component
public class ReceiptInterceptor implements ExecutorChannelInterceptor {

	private static final String COUNTDOWN = ReceiptInterceptor.class.getName() + ".countdown";

	private static final Set<StompCommand> ANSWERED = Set.of(StompCommand.SEND, StompCommand.SUBSCRIBE,
			StompCommand.UNSUBSCRIBE, StompCommand.ACK, StompCommand.NACK);

	private final Receipts receipts;

	ReceiptInterceptor(Receipts receipts) {
		this.receipts = receipts;
	}

	/**
	 * Handlers still to run before the receipt goes, and whether the application refused
	 * the frame. The session and receipt id are taken when the frame arrives: a handler
	 * may be given the frame with other headers (in relay mode, the one RabbitMQ gets
	 * carries none of the client's receipt ids).
	 */
	static final class Countdown extends HandlerCountdown {

		final String sessionId;

		final String receiptId;

		volatile boolean refused;

		/**
		 * The handler stores the message: its receipt comes after the commit (see
		 * {@link StoredReply}).
		 */
		volatile boolean afterCommit;

		Countdown(MessageChannel channel, String sessionId, String receiptId) {
			super(channel);
			this.sessionId = sessionId;
			this.receiptId = receiptId;
		}

	}

	/** Called when the handler answers the receipt itself, after the commit. */
	static void answeredAfterCommit(Message<?> message) {
		if (message.getHeaders().get(COUNTDOWN) instanceof Countdown countdown) {
			countdown.afterCommit = true;
		}
	}

	/**
	 * Called when the application refuses a frame: it then gets an error but no receipt.
	 */
	static void refuse(Message<?> message) {
		if (message.getHeaders().get(COUNTDOWN) instanceof Countdown countdown) {
			countdown.refused = true;
		}
	}

	@Override
	public Message<?> preSend(Message<?> message, MessageChannel channel) {
		StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		String sessionId = (accessor != null) ? accessor.getSessionId() : null;
		String receiptId = (accessor != null) ? accessor.getReceipt() : null;
		if (accessor == null || sessionId == null || receiptId == null || !ANSWERED.contains(accessor.getCommand())) {
			return message;
		}
		return new Countdown(channel, sessionId, receiptId).attachTo(message, COUNTDOWN);
	}

	@Override
	public void afterMessageHandled(Message<?> message, MessageChannel channel, MessageHandler handler,
			@Nullable Exception ex) {
		if (!(message.getHeaders().get(COUNTDOWN) instanceof Countdown countdown)) {
			return;
		}
		if (ex != null) {
			countdown.refused = true;
		}
		if (countdown.handled() && !countdown.refused && !countdown.afterCommit) {
			this.receipts.send(countdown.sessionId, countdown.receiptId);
		}
	}

}
