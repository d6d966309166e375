package dev.parley.web;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.messaging.simp.user.SimpSession;
import org.springframework.messaging.simp.user.SimpUser;
import org.springframework.messaging.simp.user.SimpUserRegistry;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.handler.WebSocketHandlerDecoratorFactory;

/**
 * The server's open WebSocket (and SockJS) sessions, recorded by decorating the STOMP
 * endpoint's handler, so that a test can drop a user's connections the way a restarting
 * server or a broken network would.
 */
final class OpenSockets implements WebSocketHandlerDecoratorFactory {

	private final Map<String, WebSocketSession> sessions = new ConcurrentHashMap<>();

	private final ObjectProvider<SimpUserRegistry> users;

	/**
	 * The registry is built with the broker configuration that this decorates, hence a
	 * provider.
	 */
	OpenSockets(ObjectProvider<SimpUserRegistry> users) {
		this.users = users;
	}

	@Override
	public WebSocketHandler decorate(WebSocketHandler handler) {
		return new WebSocketHandlerDecorator(handler) {

			@Override
			public void afterConnectionEstablished(WebSocketSession session) throws Exception {
				OpenSockets.this.sessions.put(session.getId(), session);
				super.afterConnectionEstablished(session);
			}

			@Override
			public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) throws Exception {
				OpenSockets.this.sessions.remove(session.getId());
				super.afterConnectionClosed(session, closeStatus);
			}

		};
	}

	/**
	 * Closes every session of the user, as "service restarting" (1012).
	 * @return how many were closed
	 */
	int closeAllOf(String username) throws IOException {
		SimpUser user = this.users.getObject().getUser(username);
		int closed = 0;
		if (user != null) {
			for (SimpSession stomp : user.getSessions()) {
				WebSocketSession socket = this.sessions.get(stomp.getId());
				if (socket != null && socket.isOpen()) {
					socket.close(CloseStatus.SERVICE_RESTARTED);
					closed++;
				}
			}
		}
		return closed;
	}

}
