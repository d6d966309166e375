package dev.parley.support;

import java.util.List;

import org.springframework.web.socket.client.WebSocketClient;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.sockjs.client.RestTemplateXhrTransport;
import org.springframework.web.socket.sockjs.client.SockJsClient;
import org.springframework.web.socket.sockjs.client.WebSocketTransport;

/**
 * How a test client reaches {@code /ws}: a native WebSocket, SockJS (which picks
 * WebSocket), or SockJS forced onto its HTTP streaming fallback, as on networks that
 * block WebSocket.
 */
public enum Transport {

	WEBSOCKET, SOCKJS, SOCKJS_XHR;

	public WebSocketClient client() {
		return switch (this) {
			case WEBSOCKET -> new StandardWebSocketClient();
			case SOCKJS -> new SockJsClient(List.of(new WebSocketTransport(new StandardWebSocketClient())));
			case SOCKJS_XHR -> new SockJsClient(List.of(new RestTemplateXhrTransport()));
		};
	}

	public String url(int port) {
		return ((this == WEBSOCKET) ? "ws" : "http") + "://127.0.0.1:" + port + "/ws";
	}

}
