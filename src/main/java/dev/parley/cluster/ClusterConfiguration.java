package dev.parley.cluster;

import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.StringUtils;

import dev.parley.history.MessageStore;

/**
 * The cluster, in {@code parley.broker.mode=redis}: one node among several, sharing a
 * Redis (Spring Boot's {@code spring.data.redis.*}) and a database.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "parley.broker.mode", havingValue = "redis")
class ClusterConfiguration {

	private final ClusterProperties properties;

	private final String node;

	ClusterConfiguration(ClusterProperties properties) {
		this.properties = properties;
		this.node = StringUtils.hasText(properties.nodeId()) ? properties.nodeId()
				: UUID.randomUUID().toString().substring(0, 8);
	}

	/**
	 * Lettuce, directly, for the bridge: its pub/sub connection subscribes again by
	 * itself after a reconnect, and its publishing connection refuses commands while
	 * disconnected instead of queueing them (stale broadcasts sent late).
	 */
	@Bean(destroyMethod = "shutdown")
	RedisClient clusterRedisClient(DataRedisConnectionDetails details) {
		DataRedisConnectionDetails.Standalone standalone = details.getStandalone();
		if (standalone == null) {
			throw new IllegalStateException("parley.broker.mode=redis needs a standalone Redis "
					+ "(spring.data.redis.host/port or url); Sentinel and Redis Cluster are not supported");
		}
		RedisURI.Builder uri = RedisURI.builder()
			.withHost(standalone.getHost())
			.withPort(standalone.getPort())
			.withDatabase(standalone.getDatabase());
		if (details.getPassword() != null) {
			uri = (details.getUsername() != null)
					? uri.withAuthentication(details.getUsername(), details.getPassword().toCharArray())
					: uri.withPassword(details.getPassword().toCharArray());
		}
		RedisClient client = RedisClient.create(uri.build());
		client.setOptions(ClientOptions.builder()
			.autoReconnect(true)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.build());
		return client;
	}

	@Bean(destroyMethod = "shutdownNow")
	ExecutorService clusterInbound() {
		return Executors.newSingleThreadExecutor(new CustomizableThreadFactory("parley-cluster-in-"));
	}

	@Bean(destroyMethod = "shutdownNow")
	ExecutorService clusterPresence() {
		return Executors.newSingleThreadExecutor(new CustomizableThreadFactory("parley-cluster-presence-"));
	}

	@Bean
	RedisBridge redisBridge(RedisClient clusterRedisClient, JsonMapper json, MessageStore store,
			ExecutorService clusterInbound, MeterRegistry meters) {
		StatefulRedisConnection<String, String> publisher = clusterRedisClient.connect();
		StatefulRedisPubSubConnection<String, String> subscriber = clusterRedisClient.connectPubSub();
		return new RedisBridge(this.node, this.properties.keyPrefix(), json, store, publisher, subscriber,
				clusterInbound, meters);
	}

	@Bean
	RedisBuckets redisBuckets(RedisClient clusterRedisClient) {
		return new RedisBuckets(clusterRedisClient.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE)),
				this.properties.keyPrefix());
	}

	@Bean
	Shares clusterShares(StringRedisTemplate redis) {
		return new Shares(redis, this.properties.keyPrefix());
	}

	@Bean
	RedisPresence redisPresence(Shares clusterShares, ExecutorService clusterPresence) {
		return new RedisPresence(clusterShares, this.node, clusterPresence);
	}

	@Bean
	RedisRoomOccupancy redisRoomOccupancy(Shares clusterShares) {
		return new RedisRoomOccupancy(clusterShares, this.node);
	}

	@Bean
	RedisSessionSlots redisSessionSlots(Shares clusterShares) {
		return new RedisSessionSlots(clusterShares, this.node);
	}

	@Bean
	ClusterNodes clusterNodes(Shares clusterShares, ApplicationEventPublisher events) {
		return new ClusterNodes(clusterShares, this.node, this.properties.nodeTimeout(), events, Clock.systemUTC());
	}

	@Bean(destroyMethod = "shutdownNow")
	ScheduledExecutorService clusterHeartbeat(ClusterNodes clusterNodes) {
		ScheduledExecutorService heartbeat = Executors
			.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("parley-cluster-heartbeat-"));
		long every = this.properties.heartbeat().toMillis();
		heartbeat.scheduleWithFixedDelay(clusterNodes::beat, 0, every, TimeUnit.MILLISECONDS);
		return heartbeat;
	}

	/**
	 * {@code cluster} in {@code /actuator/health}: DOWN while Redis is away. Not part of
	 * readiness: the node still serves its own sessions.
	 */
	@Bean
	HealthIndicator clusterHealthIndicator(ClusterNodes clusterNodes) {
		return () -> {
			try {
				return Health.up()
					.withDetail("node", clusterNodes.id())
					.withDetail("nodes", clusterNodes.alive())
					.build();
			}
			catch (RuntimeException ex) {
				return Health.down()
					.withDetail("node", clusterNodes.id())
					.withDetail("error", String.valueOf(ex.getMessage()))
					.build();
			}
		};
	}

}
