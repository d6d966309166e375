package dev.parley.security;

import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.security.authorization.AuthorizationManager;

import dev.parley.room.RoomDirectory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * One decision per frame: Spring Security's check takes the front interceptor's grant for
 * that very frame, and decides by the rules for any other.
 */
class MessageSecurityConfigTests {

	private final AuthorizationManager<Message<?>> manager = new MessageSecurityConfig()
		.messageAuthorizationManager(mock(RoomDirectory.class));

	private final JwtAuthentication alice = new JwtAuthentication("alice", Set.of(Role.USER),
			Instant.now().plusSeconds(600));

	@Test
	void aGrantHoldsForThatFrameOnlyAndOnce() {
		Message<?> forbidden = send("/topic/messages");
		assertThat(this.manager.authorize(() -> this.alice, forbidden).isGranted()).as("by the rules").isFalse();

		MessageSecurityConfig.GrantedFrames.grant(forbidden);
		assertThat(this.manager.authorize(() -> this.alice, send("/topic/messages")).isGranted())
			.as("another frame with the same headers")
			.isFalse();
		assertThat(this.manager.authorize(() -> this.alice, forbidden).isGranted()).as("the granted frame").isTrue();
		assertThat(this.manager.authorize(() -> this.alice, forbidden).isGranted()).as("taken once").isFalse();
	}

	private static Message<?> send(String destination) {
		SimpMessageHeaderAccessor accessor = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		accessor.setDestination(destination);
		accessor.setSessionId("s1");
		return MessageBuilder.createMessage(new byte[0], accessor.getMessageHeaders());
	}

}
