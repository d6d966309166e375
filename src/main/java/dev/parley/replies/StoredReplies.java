package dev.parley.replies;

import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.HandlerMethodReturnValueHandler;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.stereotype.Component;

/**
 * Answers a {@code SEND} whose message is being stored: a {@code RECEIPT} once it is
 * committed (also for a repeat of a message stored before), or an error on
 * {@code /user/queue/errors} carrying the {@code receiptId} when it could not be stored.
 */
@Component
public class StoredReplies {

	private final Receipts receipts;

	private final ClientErrors errors;

	StoredReplies(Receipts receipts, ClientErrors errors) {
		this.receipts = receipts;
		this.errors = errors;
	}

	/** The error code and message of a storage failure. */
	public interface Failure {

		String code();

		String getMessage();

	}

	/**
	 * Answers a handler's {@link StoredReply}: the frame's receipt waits for the commit.
	 */
	public static final class ReturnValueHandler implements HandlerMethodReturnValueHandler {

		private final StoredReplies replies;

		public ReturnValueHandler(StoredReplies replies) {
			this.replies = replies;
		}

		@Override
		public boolean supportsReturnType(MethodParameter returnType) {
			return StoredReply.class.isAssignableFrom(returnType.getParameterType());
		}

		@Override
		public void handleReturnValue(@Nullable Object returnValue, MethodParameter returnType, Message<?> message) {
			if (!(returnValue instanceof StoredReply reply)) {
				return;
			}
			ReceiptInterceptor.answeredAfterCommit(message);
			SimpMessageHeaderAccessor accessor = SimpMessageHeaderAccessor.wrap(message);
			String sessionId = accessor.getSessionId();
			if (sessionId != null && accessor.getUser() != null) {
				this.replies.afterStoring(reply.stored(), sessionId, accessor.getUser().getName(),
						accessor.getDestination(), accessor.getFirstNativeHeader("receipt"));
			}
		}

	}

	public void afterStoring(CompletableFuture<?> stored, String sessionId, String user, @Nullable String destination,
			@Nullable String receipt) {
		stored.whenComplete((result, ex) -> {
			if (ex == null) {
				if (receipt != null) {
					this.receipts.send(sessionId, receipt);
				}
				return;
			}
			Throwable cause = (ex instanceof java.util.concurrent.CompletionException && ex.getCause() != null)
					? ex.getCause() : ex;
			String code = (cause instanceof Failure failure) ? failure.code() : "storage-unavailable";
			String message = (cause instanceof Failure failure) ? failure.getMessage()
					: "The message could not be stored; it was not sent";
			this.errors.report(sessionId, user, new ErrorPayload(code, message, destination, receipt));
		});
	}

}
