package dev.parley.replies;

import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.annotation.MessageExceptionHandler;
import org.springframework.messaging.handler.annotation.support.MethodArgumentNotValidException;
import org.springframework.messaging.simp.annotation.SendToUser;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.ControllerAdvice;

import dev.parley.protocol.Protocol;

/**
 * Sends refused input back to the one session that sent it, on
 * {@code /user/queue/errors}; the session stays open.
 */
@ControllerAdvice
class MessagingErrorAdvice {

	private final Rejections rejections;

	MessagingErrorAdvice(Rejections rejections) {
		this.rejections = rejections;
	}

	private static final Log logger = LogFactory.getLog(MessagingErrorAdvice.class);

	@MessageExceptionHandler
	@SendToUser(destinations = Protocol.ERRORS_QUEUE, broadcast = false)
	ErrorPayload chatException(ChatException ex, Message<?> message) {
		return payload(ex.code(), ex.text(), message);
	}

	@MessageExceptionHandler
	@SendToUser(destinations = Protocol.ERRORS_QUEUE, broadcast = false)
	ErrorPayload invalid(MethodArgumentNotValidException ex, Message<?> message) {
		BindingResult result = ex.getBindingResult();
		String detail = (result != null) ? result.getFieldErrors()
			.stream()
			.map((error) -> error.getField() + " " + error.getDefaultMessage())
			.sorted()
			.collect(Collectors.joining("; ")) : "invalid payload";
		return payload("validation", detail, message);
	}

	@MessageExceptionHandler
	@SendToUser(destinations = Protocol.ERRORS_QUEUE, broadcast = false)
	ErrorPayload unreadable(MessageConversionException ex, Message<?> message) {
		return payload("bad-request", "The body is not the JSON this destination expects", message);
	}

	@MessageExceptionHandler
	@SendToUser(destinations = Protocol.ERRORS_QUEUE, broadcast = false)
	ErrorPayload unexpected(Exception ex, Message<?> message) {
		logger.error("Failed to handle a message to " + StompHeaderAccessor.wrap(message).getDestination(), ex);
		return payload("internal", "The server could not handle this message", message);
	}

	private ErrorPayload payload(String code, String text, Message<?> message) {
		this.rejections.countError(code);
		ReceiptInterceptor.refuse(message);
		StompHeaderAccessor accessor = StompHeaderAccessor.wrap(message);
		return new ErrorPayload(code, text, accessor.getDestination(), accessor.getReceipt());
	}

}
