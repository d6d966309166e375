package dev.parley.security;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

/**
 * Puts authentication, then the reported authorization check, on the inbound channel ahead of Spring Security's
 * interceptors (which {@code @EnableWebSocketSecurity} adds at a lower precedence).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 99)
class StompSecurityConfigurer implements WebSocketMessageBrokerConfigurer {

	private final StompAuthenticationInterceptor authentication;

	private final StompAuthorizationInterceptor authorization;

	StompSecurityConfigurer(StompAuthenticationInterceptor authentication,
			StompAuthorizationInterceptor authorization) {
		this.authentication = authentication;
		this.authorization = authorization;
	}

	@Override
	public void configureClientInboundChannel(ChannelRegistration registration) {
		registration.interceptors(this.authentication, this.authorization);
	}

}
