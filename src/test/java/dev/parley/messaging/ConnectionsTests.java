package dev.parley.messaging;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

class ConnectionsTests {

	private final List<Object> events = new ArrayList<>();

	private final Connections connections = new Connections(new ApplicationEventPublisher() {
		@Override
		public void publishEvent(Object event) {
			ConnectionsTests.this.events.add(event);
		}
	});

	private final WebSocketHandler handler = this.connections.decorate(mock(WebSocketHandler.class));

	@Test
	void aUsersFirstSessionBringsItOnlineAndItsLastTakesItOffline() throws Exception {
		WebSocketSession s1 = open("s1");
		WebSocketSession s2 = open("s2");
		WebSocketSession s3 = open("s3");
		assertThat(this.connections.bind("s1", user("alice"), 10)).isTrue();
		assertThat(this.connections.bind("s2", user("alice"), 10)).isTrue();
		assertThat(this.connections.bind("s3", user("bob"), 10)).isTrue();
		assertThat(this.connections.onlineUsers()).containsExactly("alice", "bob");

		close(s1);
		assertThat(this.connections.onlineUsers()).containsExactly("alice", "bob");
		close(s2);
		close(s2);
		assertThat(this.connections.onlineUsers()).containsExactly("bob");
		assertThat(this.events).containsExactly(new Connections.UserCameOnline("alice"),
				new Connections.UserCameOnline("bob"), new Connections.UserWentOffline("alice"));
		assertThat(this.connections.count()).isEqualTo(1);
		close(s3);
	}

	@Test
	void aConnectHandledAfterItsSessionClosedLeavesNobodyOnline() throws Exception {
		close(open("s7"));
		assertThat(this.connections.bind("s7", user("carol"), 10)).isFalse();
		assertThat(this.connections.onlineUsers()).isEmpty();
		assertThat(this.events).isEmpty();
	}

	@Test
	void aUserHasAtMostSoManySessionsAndAClosedOneFreesItsPlace() throws Exception {
		WebSocketSession s1 = open("s1");
		open("s2");
		open("s3");
		assertThat(this.connections.bind("s1", user("dave"), 2)).isTrue();
		assertThat(this.connections.bind("s1", user("dave"), 2)).as("a repeated CONNECT counts once").isTrue();
		assertThat(this.connections.bind("s2", user("dave"), 2)).isTrue();
		assertThat(this.connections.bind("s3", user("dave"), 2)).isFalse();
		close(s1);
		assertThat(this.connections.bind("s3", user("dave"), 2)).isTrue();
		assertThat(this.connections.sessionsOf("dave")).isEqualTo(2);
	}

	private WebSocketSession open(String id) throws Exception {
		WebSocketSession session = mock(WebSocketSession.class);
		given(session.getId()).willReturn(id);
		this.handler.afterConnectionEstablished(session);
		return session;
	}

	private void close(WebSocketSession session) throws Exception {
		this.handler.afterConnectionClosed(session, CloseStatus.NORMAL);
	}

	private static TestingAuthenticationToken user(String name) {
		return new TestingAuthenticationToken(name, null);
	}

}
