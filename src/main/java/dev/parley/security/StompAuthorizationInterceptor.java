package dev.parley.security;

import java.security.Principal;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;

import dev.parley.replies.ClientErrors;
import dev.parley.replies.ErrorPayload;

/**
 * Asks the message {@link AuthorizationManager} about each frame before Spring Security's
 * own interceptor does, so that a refusal can be told to the client: an authenticated
 * session's {@code SEND} or {@code SUBSCRIBE} to a destination it may not use gets an
 * error on its {@code /user/queue/errors} and stays open (a page subscribing to the wrong
 * room should not lose its connection); any frame from an unauthenticated session gets an
 * {@code ERROR} frame and the socket is closed.
 * <p>
 * Spring Security's interceptor, which runs after this one with the same manager, remains
 * the enforcement point; its own refusals are only logged, because Spring swallows what
 * inbound interceptors throw when receive order is preserved.
 */
@Component
class StompAuthorizationInterceptor implements ChannelInterceptor {

	private final AuthorizationManager<Message<?>> authorizationManager;

	private final ClientErrors errors;

	StompAuthorizationInterceptor(AuthorizationManager<Message<?>> authorizationManager, ClientErrors errors) {
		this.authorizationManager = authorizationManager;
		this.errors = errors;
	}

	@Override
	public @Nullable Message<?> preSend(Message<?> message, MessageChannel channel) {
		// Every frame: the accessor the frame was built with, not a copy of its headers
		// (what wrap makes).
		SimpMessageHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message,
				SimpMessageHeaderAccessor.class);
		if (accessor == null) {
			accessor = SimpMessageHeaderAccessor.wrap(message);
		}
		Principal user = accessor.getUser();
		Authentication authentication = (user instanceof Authentication auth) ? auth : null;
		AuthorizationResult result = this.authorizationManager.authorize(() -> authentication, message);
		if (result != null && result.isGranted()) {
			// Spring Security's interceptor, next on this thread, takes this decision
			// instead of deciding again.
			MessageSecurityConfig.GrantedFrames.grant(message);
			return message;
		}
		String sessionId = accessor.getSessionId();
		if (sessionId == null) {
			return null;
		}
		SimpMessageType type = accessor.getMessageType();
		String destination = accessor.getDestination();
		String receipt = accessor.getFirstNativeHeader("receipt");
		if (authentication != null && (type == SimpMessageType.MESSAGE || type == SimpMessageType.SUBSCRIBE)) {
			String verb = (type == SimpMessageType.SUBSCRIBE) ? "subscribe to " : "send to ";
			this.errors.report(sessionId, authentication.getName(),
					new ErrorPayload("forbidden", "You may not " + verb + destination, destination, receipt));
		}
		else if (authentication != null && type == SimpMessageType.OTHER) {
			String command = String.valueOf(StompHeaderAccessor.getCommand(message.getHeaders()));
			this.errors.report(sessionId, authentication.getName(),
					new ErrorPayload("unsupported",
							command + ": STOMP transactions are not supported; each SEND is handled as it arrives",
							null, receipt));
		}
		else {
			this.errors.closeWithError(sessionId, "Forbidden - authenticate with CONNECT first", receipt);
		}
		return null;
	}

}
