package dev.parley.messaging;

import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Which broker carries messages to subscribers.
 *
 * @param mode {@code simple}: Spring's in-memory broker, one node, nothing to install;
 * {@code redis}: the in-memory broker on each node, with a bridge over Redis pub/sub
 * between nodes (the recommended cluster mode); {@code relay}: Spring's STOMP broker
 * relay to an external broker (RabbitMQ's STOMP plugin)
 * @param destinationCacheLimit how many destinations the in-memory broker keeps the
 * matching subscriptions of; a destination not in it is matched against every
 * subscription of every session, under a lock. Every room, its user list and every
 * session's own queues are destinations: Spring's default of 1,024 made 10,000 clients in
 * 1,000 rooms scan 30,000 subscriptions per message, and fall minutes behind
 */
@Validated
@ConfigurationProperties("parley.broker")
public record BrokerProperties(@DefaultValue("simple") Mode mode,
		@DefaultValue("262144") @Positive int destinationCacheLimit) {

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
