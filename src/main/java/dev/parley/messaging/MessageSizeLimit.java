package dev.parley.messaging;

import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.sockjs.transport.SockJsSession;

/**
 * Sizes each WebSocket session's own inbound buffer from
 * {@code parley.websocket.message-size-limit}, so that the documented limit is the one
 * that holds.
 * <p>
 * Works around Spring's {@code StompSubProtocolHandler}, which raises a session's text
 * buffer to 16 KiB + 256 ({@code MINIMUM_WEBSOCKET_MESSAGE_SIZE}, sized for clients that
 * split frames at 16 KiB) and otherwise leaves the container's default: a whole 20 KiB
 * frame, as stompjs sends it, was closed with 1009 though the STOMP limit
 * ({@code setMessageSizeLimit}) allowed 64 KiB. Spring only raises the buffer, so this
 * sets it first.
 * <ul>
 * <li>Native WebSocket: the buffer is the limit, and a larger message is closed with 1009
 * by the container.</li>
 * <li>SockJS over WebSocket: one WebSocket message is a JSON array of frames, whose
 * escaping can double a frame's length, so the buffer is twice the limit; the frame
 * itself is held to the limit by Spring's STOMP decoder ({@code ERROR} frame, then the
 * session is closed). SockJS's HTTP transports have no such buffer: their {@code POST}
 * bodies are bounded by {@link SockJsBodyLimitFilter}.</li>
 * </ul>
 */
class MessageSizeLimit extends WebSocketHandlerDecorator {

	private final int limit;

	MessageSizeLimit(WebSocketHandler delegate, int limit) {
		super(delegate);
		this.limit = limit;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) throws Exception {
		int size = (session instanceof SockJsSession) ? 2 * this.limit : this.limit;
		session.setTextMessageSizeLimit(size);
		session.setBinaryMessageSizeLimit(size);
		super.afterConnectionEstablished(session);
	}

}
