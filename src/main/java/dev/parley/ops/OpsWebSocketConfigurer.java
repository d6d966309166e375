package dev.parley.ops;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;

/**
 * Tracks every WebSocket session, for the drain and the operators' endpoint.
 */
@Component
class OpsWebSocketConfigurer implements WebSocketMessageBrokerConfigurer {

	private final OpenSessions sessions;

	OpsWebSocketConfigurer(OpenSessions sessions) {
		this.sessions = sessions;
	}

	@Override
	public void configureWebSocketTransport(WebSocketTransportRegistration registration) {
		registration.addDecoratorFactory(this.sessions::decorate);
	}

}
