package dev.parley.messaging;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The broker relay of {@code parley.broker.mode=relay}: where RabbitMQ's STOMP plugin
 * listens and how Parley logs in to it. Read in relay mode only.
 *
 * @param host the host of RabbitMQ's STOMP listener
 * @param port the port of RabbitMQ's STOMP listener (the plugin's default; not the AMQP
 * port 5672)
 * @param clientLogin the RabbitMQ user of the connection opened for each client session
 * @param clientPasscode its password
 * @param systemLogin the RabbitMQ user of the node's own connection, which publishes
 * messages and carries the user registry between nodes
 * @param systemPasscode its password
 * @param virtualHost the RabbitMQ virtual host, sent as the STOMP {@code host} header;
 * when not set, RabbitMQ's default virtual host ({@code /})
 * @param systemHeartbeatSendInterval how often the node's own connection sends a
 * heart-beat to RabbitMQ when it has nothing else to send; 0 for none
 * @param systemHeartbeatReceiveInterval how often the node's own connection expects
 * something from RabbitMQ; after three times as long without anything the connection is
 * taken for lost and the broker for unavailable; 0 for never
 * @param userRegistryInterval how often each node sends the others the list of its users
 * and their sessions and subscriptions; a user who just connected to another node is
 * known here at most this long after
 */
@Validated
@ConfigurationProperties("parley.cluster.relay")
public record RelayProperties(@DefaultValue("127.0.0.1") String host, @DefaultValue("61613") int port,
		@DefaultValue("guest") String clientLogin, @DefaultValue("guest") String clientPasscode,
		@DefaultValue("guest") String systemLogin, @DefaultValue("guest") String systemPasscode,
		@Nullable String virtualHost,
		@DefaultValue("10s") @DurationMin(millis = 0) Duration systemHeartbeatSendInterval,
		@DefaultValue("10s") @DurationMin(millis = 0) Duration systemHeartbeatReceiveInterval,
		@DefaultValue("10s") @DurationMin(millis = 100) Duration userRegistryInterval) {

	/** Where the relay connects, for logs and health details. */
	String address() {
		return this.host + ":" + this.port;
	}

}
