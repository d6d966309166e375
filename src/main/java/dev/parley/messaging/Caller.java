package dev.parley.messaging;

import java.security.Principal;

import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.HandlerMethodArgumentResolver;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.annotation.support.MissingSessionUserException;
import org.springframework.messaging.support.NativeMessageHeaderAccessor;

import dev.parley.replies.ChatException;

/**
 * Who sent the frame a {@code @MessageMapping} method handles: the session's user, the
 * session, and the frame's {@code receipt} header. The sender of every message is this
 * user: a body may name the sender (older clients do), but a body that names somebody
 * else is refused, never believed.
 * <p>
 * A parameter of this type stands for {@code Principal} and {@code @Header} parameters,
 * for speed: Spring Framework 7 resolves a {@code Principal} parameter through
 * {@code MethodParameter.isOptional()}, which reads the parameter's nullness annotations
 * anew on every call, and that alone took about 7% of the server's CPU per message in
 * profiles of the storage benchmark. {@link Resolver} reads three headers.
 *
 * @param name the authenticated user
 * @param sessionId the STOMP session
 * @param receipt the frame's {@code receipt} header, if any
 */
public record Caller(String name, String sessionId, @Nullable String receipt) {

	/**
	 * @return the caller's name, when the body names no sender or names the caller
	 */
	public String requireSelf(@Nullable String claimed) {
		if (claimed != null && !claimed.equals(this.name)) {
			throw new ChatException("sender-mismatch",
					"You are signed in as '" + this.name + "' and cannot send as '" + claimed + "'");
		}
		return this.name;
	}

	/** Resolves {@link Caller} parameters from the message headers. */
	static final class Resolver implements HandlerMethodArgumentResolver {

		@Override
		public boolean supportsParameter(MethodParameter parameter) {
			return parameter.getParameterType() == Caller.class;
		}

		@Override
		public Object resolveArgument(MethodParameter parameter, Message<?> message) {
			Principal user = SimpMessageHeaderAccessor.getUser(message.getHeaders());
			String sessionId = SimpMessageHeaderAccessor.getSessionId(message.getHeaders());
			if (user == null || sessionId == null) {
				throw new MissingSessionUserException(message);
			}
			return new Caller(user.getName(), sessionId,
					NativeMessageHeaderAccessor.getFirstNativeHeader("receipt", message.getHeaders()));
		}

	}

}
