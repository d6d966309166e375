package dev.parley.cluster;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The nodes of a cluster ({@code parley.broker.mode=redis} or {@code relay}); Redis
 * itself is set with Spring Boot's {@code spring.data.redis.*}.
 *
 * @param nodeId this node's name in the cluster; by default a new random one at every
 * start (a restarted node is a new node, and the old one is taken out when its heartbeats
 * stop)
 * @param heartbeat how often a node says it is alive, and looks for nodes that are not
 * @param nodeTimeout how long without a heartbeat before a node is declared gone: its
 * users leave their rooms and go offline on the other nodes
 * @param keyPrefix redis mode: the prefix of every Redis key and channel Parley uses, to
 * share one Redis between several Parley clusters
 */
@Validated
@ConfigurationProperties("parley.cluster")
record ClusterProperties(@Nullable String nodeId, @DefaultValue("2s") @DurationMin(millis = 100) Duration heartbeat,
		@DefaultValue("10s") @DurationMin(millis = 1) Duration nodeTimeout, @DefaultValue("parley:") String keyPrefix) {
}
