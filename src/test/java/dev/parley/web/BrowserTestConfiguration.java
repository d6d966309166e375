package dev.parley.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.simp.user.SimpUserRegistry;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;

/**
 * What the browser tests add to the application: a handle on open sockets, to drop them, and the
 * Content-Security-Policy the server is meant to send, so the browsers enforce it on the page. Every browser test
 * class imports this, so they all share one application context and one server.
 */
@TestConfiguration(proxyBeanMethods = false)
class BrowserTestConfiguration {

	/** The policy the page must live with: nothing inline, nothing from elsewhere. */
	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "connect-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'";

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

	/**
	 * Sets the policy on responses that do not have one yet. It stands in for the server's own header until the
	 * server sends it; then this bean should go, so that the browsers enforce exactly what the server sends.
	 */
	@Bean
	FilterRegistrationBean<OncePerRequestFilter> contentSecurityPolicy() {
		OncePerRequestFilter filter = new OncePerRequestFilter() {

			@Override
			protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
					FilterChain chain) throws ServletException, IOException {
				if (!response.containsHeader("Content-Security-Policy")) {
					response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
				}
				chain.doFilter(request, response);
			}

		};
		return new FilterRegistrationBean<>(filter);
	}

}
