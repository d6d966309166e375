package dev.parley.web;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.simp.user.SimpUserRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;

/**
 * What the browser tests add to the application: a handle on open sockets, to drop them.
 * The browsers enforce the Content-Security-Policy the server itself sends. Every browser
 * test class imports this, so they all share one application context and one server.
 */
@TestConfiguration(proxyBeanMethods = false)
class BrowserTestConfiguration {

	@Bean
	OpenSockets openSockets(ObjectProvider<SimpUserRegistry> users) {
		return new OpenSockets(users);
	}

	@Bean
	WebSocketMessageBrokerConfigurer recordOpenSockets(OpenSockets sockets) {
		return new WebSocketMessageBrokerConfigurer() {

			@Override
			public void configureWebSocketTransport(WebSocketTransportRegistration registration) {
				registration.addDecoratorFactory(sockets);
			}

		};
	}

}
