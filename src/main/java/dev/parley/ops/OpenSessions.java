package dev.parley.ops;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

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

	private final List<Consumer<WebSocketSession>> openedListeners = new CopyOnWriteArrayList<>();

	private final List<BiConsumer<WebSocketSession, CloseStatus>> closedListeners = new CopyOnWriteArrayList<>();

	WebSocketHandler decorate(WebSocketHandler handler) {
		return new WebSocketHandlerDecorator(handler) {
			@Override
			public void afterConnectionEstablished(WebSocketSession session) throws Exception {
				OpenSessions.this.sessions.add(session);
				OpenSessions.this.openedListeners.forEach((listener) -> listener.accept(session));
				super.afterConnectionEstablished(session);
			}

			@Override
			public void afterConnectionClosed(WebSocketSession session, CloseStatus status) throws Exception {
				if (OpenSessions.this.sessions.remove(session)) {
					OpenSessions.this.closedListeners.forEach((listener) -> listener.accept(session, status));
				}
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

	/** Sessions of one transport, {@code websocket} or {@code sockjs}; counted when asked (by a gauge). */
	int count(String transport) {
		int count = 0;
		for (WebSocketSession session : this.sessions) {
			if (MessagingMetrics.transportOf(session).equals(transport)) {
				count++;
			}
		}
		return count;
	}

	void onOpened(Consumer<WebSocketSession> listener) {
		this.openedListeners.add(listener);
	}

	void onClosed(BiConsumer<WebSocketSession, CloseStatus> listener) {
		this.closedListeners.add(listener);
	}

}
