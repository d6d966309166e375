package dev.parley.messaging;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which broker carries messages to subscribers.
 *
 * @param mode {@code simple}: Spring's in-memory broker, one node, nothing to install;
 * {@code redis}: the in-memory broker on each node, with a bridge over Redis pub/sub
 * between nodes (the recommended cluster mode); {@code relay}: Spring's STOMP broker
 * relay to an external broker (RabbitMQ's STOMP plugin)
 */
@ConfigurationProperties("parley.broker")
public record BrokerProperties(@DefaultValue("simple") Mode mode) {

	/** The broker modes. */
	public enum Mode {

		/** Spring's in-memory broker; one node. */
		SIMPLE,

		/** The in-memory broker on each node, bridged over Redis pub/sub. */
		REDIS,

		/** Spring's STOMP broker relay to RabbitMQ. */
		RELAY

	}

}
