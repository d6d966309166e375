package dev.parley.messaging;

import org.springframework.messaging.support.ChannelInterceptor;

/**
 * An interceptor of the client outbound channel that the in-memory broker's fan-out may
 * go around. The broker writes a broadcast straight to its subscribers' sessions, without
 * a message of its own per subscriber on the outbound channel (see {@code FanOutBroker});
 * an interceptor that must see a delivery says so for that subscriber, and the delivery
 * then takes the channel as Spring's broker would send it.
 * <p>
 * While any outbound interceptor is not one of these, every delivery takes the channel:
 * an interceptor added later is never gone around without knowing it.
 */
public interface FanOutInterceptor extends ChannelInterceptor {

	/**
	 * Whether this subscriber's delivery of a broadcast must come through the outbound
	 * channel, as a message, for this interceptor to see it. Called per delivery: keep it
	 * cheap.
	 * @param sessionId the subscriber's session
	 * @param subscriptionId the subscription the broadcast matched
	 * @return true to see the delivery
	 */
	boolean intercepts(String sessionId, String subscriptionId);

	/**
	 * That a {@code MESSAGE} delivery goes around the channel: called just before it is
	 * written, per delivery.
	 */
	default void wentAround() {
	}

}
