package dev.parley.ops;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;

/**
 * The WebSocket sessions open on this node (native and SockJS), so the drain can close them and the operators'
 * endpoint can count them. Spring keeps its own list but does not expose it.
 */
@Component
class OpenSessions {

	private final Set<WebSocketSession> sessions = ConcurrentHashMap.newKeySet();

	WebSocketHandler decorate(WebSocketHandler handler) {
		return new WebSocketHandlerDecorator(handler) {
			@Override
			public void afterConnectionEstablished(WebSocketSession session) throws Exception {
				OpenSessions.this.sessions.add(session);
				super.afterConnectionEstablished(session);
			}

			@Override
			public void afterConnectionClosed(WebSocketSession session, CloseStatus status) throws Exception {
				OpenSessions.this.sessions.remove(session);
				super.afterConnectionClosed(session, status);
			}
		};
	}

	List<WebSocketSession> snapshot() {
		return List.copyOf(this.sessions);
	}

	int count() {
		return this.sessions.size();
	}

}
