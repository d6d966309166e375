package dev.parley.security;

import org.jspecify.annotations.Nullable;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.socket.EnableWebSocketSecurity;
import org.springframework.security.core.Authentication;

/**
 * Authorizes every inbound STOMP message with Spring Security: nothing but an
 * authenticated user's messages pass, {@code SEND} only to {@code /app/**},
 * {@code SUBSCRIBE} only to the destinations of the contract, and to a private room's
 * topics only for its members.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocketSecurity
class MessageSecurityConfig {

	/**
	 * The rules, for Spring Security's interceptor, which remains the enforcement point.
	 * A frame the reporting interceptor ({@link StompAuthorizationInterceptor}, just
	 * before it on the same thread) granted is granted without deciding again: one
	 * decision per frame, not two.
	 */
	@Bean
	AuthorizationManager<Message<?>> messageAuthorizationManager(RoomAccess rooms) {
		return (authentication, message) -> new AuthorizationDecision(
				GrantedFrames.takeGrant(message) || isAllowed(authentication.get(), message, rooms));
	}

	/**
	 * The frame the reporting interceptor granted last on this thread. A thread-local
	 * holding the frame itself: only that very message object is let through without a
	 * second decision, so nothing a client sends can claim it.
	 */
	static final class GrantedFrames {

		private static final ThreadLocal<@Nullable Message<?>> GRANTED = new ThreadLocal<>();

		private GrantedFrames() {
		}

		static void grant(Message<?> message) {
			GRANTED.set(message);
		}

		static boolean takeGrant(Message<?> message) {
			if (GRANTED.get() == message) {
				GRANTED.remove();
				return true;
			}
			return false;
		}

	}

	/**
	 * Spring Security's STOMP CSRF check expects a CSRF token copied from a cookie-based
	 * HTTP session into the CONNECT frame. Parley has no cookie session: every connection
	 * carries a bearer token, which a foreign page cannot obtain or have sent for it, and
	 * browsers are held to the origin allow-list at the handshake. The check would only
	 * break token clients, so this bean (by its well-known name) replaces it with a
	 * no-op.
	 */
	@Bean
	ChannelInterceptor csrfChannelInterceptor() {
		return new ChannelInterceptor() {
		};
	}

	/** Room topics of a private room are for its members only. */
	private static boolean mayEnterRoomOf(@Nullable String destination, String user, RoomAccess rooms) {
		String room = DestinationRules.roomOf(destination);
		return room == null || rooms.mayEnter(room, user);
	}

	static boolean isAcknowledgement(Message<?> message) {
		StompCommand command = StompHeaderAccessor.getCommand(message.getHeaders());
		return command == StompCommand.ACK || command == StompCommand.NACK;
	}

	static boolean isAllowed(@Nullable Authentication authentication, Message<?> message, RoomAccess rooms) {
		if (!(authentication instanceof JwtAuthentication)) {
			return false;
		}
		SimpMessageType type = SimpMessageHeaderAccessor.getMessageType(message.getHeaders());
		String destination = SimpMessageHeaderAccessor.getDestination(message.getHeaders());
		if (type == null) {
			return false;
		}
		return switch (type) {
			case CONNECT, HEARTBEAT, UNSUBSCRIBE, DISCONNECT -> true;
			// ACK and NACK: harmless (the broker acknowledges on delivery), and stompjs
			// code written for client-ack subscriptions sends them. BEGIN, COMMIT and
			// ABORT are refused: there are no transactions.
			case OTHER -> isAcknowledgement(message);
			case MESSAGE -> DestinationRules.maySend(destination);
			case SUBSCRIBE -> DestinationRules.maySubscribe(destination)
					&& mayEnterRoomOf(destination, authentication.getName(), rooms);
			default -> false;
		};
	}

}
