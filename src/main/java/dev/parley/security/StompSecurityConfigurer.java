package dev.parley.security;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;

import dev.parley.limits.FrameRateInterceptor;
import dev.parley.limits.LimitsProperties;
import dev.parley.limits.SessionLimitsInterceptor;

/**
 * Puts authentication, the frame rate limit, the reported authorization check and the
 * session limits on the inbound channel, ahead of Spring Security's interceptors (which
 * {@code @EnableWebSocketSecurity} adds at a lower precedence), and the connect timeout
 * on every socket.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 99)
class StompSecurityConfigurer implements WebSocketMessageBrokerConfigurer {

	private final StompAuthenticationInterceptor authentication;

	private final FrameRateInterceptor frameRate;

	private final StompAuthorizationInterceptor authorization;

	private final SessionLimitsInterceptor limits;

	private final LimitsProperties limitsProperties;

	private final TaskScheduler scheduler;

	StompSecurityConfigurer(StompAuthenticationInterceptor authentication, FrameRateInterceptor frameRate,
			StompAuthorizationInterceptor authorization, SessionLimitsInterceptor limits,
			LimitsProperties limitsProperties, @Lazy @Qualifier("messageBrokerTaskScheduler") TaskScheduler scheduler) {
		this.authentication = authentication;
		this.frameRate = frameRate;
		this.authorization = authorization;
		this.limits = limits;
		this.limitsProperties = limitsProperties;
		this.scheduler = scheduler;
	}

	@Override
	public void configureClientInboundChannel(ChannelRegistration registration) {
		// The frame rate before authorization: a flood of frames costs no authorization
		// work.
		registration.interceptors(this.authentication, this.frameRate, this.authorization, this.limits);
	}

	@Override
	public void configureWebSocketTransport(WebSocketTransportRegistration registration) {
		registration.addDecoratorFactory(
				(handler) -> new ConnectTimeout(handler, this.scheduler, this.limitsProperties.connectTimeout()));
	}

}
