package dev.parley.security;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;

import dev.parley.limits.LimitsProperties;
import dev.parley.messaging.Connections;
import dev.parley.replies.ClientErrors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willReturn;
import static org.mockito.Mockito.mock;

class AuthenticatedSessionsTests {

	private final TaskScheduler scheduler = mock(TaskScheduler.class);

	private final Connections connections = new Connections(mock(ApplicationEventPublisher.class));

	private final WebSocketHandler handler = this.connections.decorate(mock(WebSocketHandler.class));

	private final AuthenticatedSessions sessions = new AuthenticatedSessions(
			new LimitsProperties(4000, 10, 20, 50, 50, 2, Duration.ofSeconds(10), 50, 200, 5, 30),
			mock(ClientErrors.class), this.scheduler, this.connections);

	@BeforeEach
	void expiriesAreScheduled() {
		willReturn(mock(ScheduledFuture.class)).given(this.scheduler).schedule(any(Runnable.class), any(Instant.class));
	}

	private final JwtAuthentication alice = new JwtAuthentication("alice", Set.of(Role.USER),
			Instant.now().plusSeconds(3600));

	@Test
	void sessionsPerUserAreCappedAndADisconnectFreesAPlace() throws Exception {
		for (String id : new String[] { "s1", "s2", "s3" }) {
			open(id);
		}
		assertThat(this.sessions.accept("s1", this.alice)).isTrue();
		assertThat(this.sessions.accept("s1", this.alice)).as("a second CONNECT counts once").isTrue();
		assertThat(this.sessions.accept("s2", this.alice)).isTrue();
		assertThat(this.sessions.accept("s3", this.alice)).isFalse();

		close("s1");
		this.sessions.onDisconnect(disconnect("s1"));
		assertThat(this.sessions.accept("s3", this.alice)).isTrue();
		assertThat(this.sessions.sessionsOf("alice")).isEqualTo(2);
	}

	@Test
	void aConnectHandledAfterItsSessionClosedIsNotCounted() throws Exception {
		open("s9");
		close("s9");
		this.sessions.onDisconnect(disconnect("s9"));

		assertThat(this.sessions.accept("s9", this.alice)).isFalse();
		assertThat(this.sessions.sessionsOf("alice")).isZero();
	}

	private void open(String id) throws Exception {
		WebSocketSession session = mock(WebSocketSession.class);
		given(session.getId()).willReturn(id);
		this.handler.afterConnectionEstablished(session);
	}

	private void close(String id) throws Exception {
		WebSocketSession session = mock(WebSocketSession.class);
		given(session.getId()).willReturn(id);
		this.handler.afterConnectionClosed(session, CloseStatus.NORMAL);
	}

	private static SessionDisconnectEvent disconnect(String sessionId) {
		var message = MessageBuilder.withPayload(new byte[0])
			.copyHeaders(Map.of(SimpMessageHeaderAccessor.SESSION_ID_HEADER, sessionId))
			.build();
		return new SessionDisconnectEvent(new Object(), message, sessionId, CloseStatus.NORMAL, null);
	}

}
