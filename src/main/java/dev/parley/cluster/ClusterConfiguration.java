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

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.StringUtils;

import dev.parley.history.MessageStore;

/**
 * The cluster: one node among several. In {@code parley.broker.mode=redis} the nodes
 * share a Redis (Spring Boot's {@code spring.data.redis.*}), which carries the broadcasts
 * and holds who is online, who is in which room and the sessions of each user. In
 * {@code relay} mode RabbitMQ carries the broadcasts, and the database the nodes share
 * holds the rest. Nothing of it in {@code simple} mode.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!'${parley.broker.mode:simple}'.equalsIgnoreCase('simple')")
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
	@ConditionalOnProperty(name = "parley.broker.mode", havingValue = "redis")
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
	@ConditionalOnProperty(name = "parley.broker.mode", havingValue = "redis")
	ExecutorService clusterInbound() {
		return Executors.newSingleThreadExecutor(new CustomizableThreadFactory("parley-cluster-in-"));
	}

	/**
	 * Spring Data Redis's own connection (presence, rooms, sessions, heartbeats, the
	 * health check) refuses commands while Redis is away instead of queueing them until
	 * the command timeout (a minute by default): the node goes on alone at once, and
	 * {@code cluster} in the health endpoint says DOWN instead of hanging.
	 */
	@Bean
	@ConditionalOnProperty(name = "parley.broker.mode", havingValue = "redis")
	LettuceClientOptionsBuilderCustomizer clusterRedisRejectsWhileDisconnected() {
		return (options) -> options.autoReconnect(true)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
	}

	@Bean(destroyMethod = "shutdownNow")
	ExecutorService clusterPresence() {
		return Executors.newSingleThreadExecutor(new CustomizableThreadFactory("parley-cluster-presence-"));
	}

	@Bean
	@ConditionalOnProperty(name = "parley.broker.mode", havingValue = "redis")
	RedisBridge redisBridge(RedisClient clusterRedisClient, JsonMapper json, MessageStore store,
			ExecutorService clusterInbound, MeterRegistry meters) {
		StatefulRedisConnection<String, String> publisher = clusterRedisClient.connect();
		StatefulRedisPubSubConnection<String, String> subscriber = clusterRedisClient.connectPubSub();
		return new RedisBridge(this.node, this.properties.keyPrefix(), json, store, publisher, subscriber,
				clusterInbound, meters);
	}

	@Bean
	@ConditionalOnProperty(name = "parley.broker.mode", havingValue = "redis")
	RedisBuckets redisBuckets(RedisClient clusterRedisClient) {
		return new RedisBuckets(clusterRedisClient.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE)),
				this.properties.keyPrefix());
	}

	@Bean
	@ConditionalOnProperty(name = "parley.broker.mode", havingValue = "redis")
	RedisShares redisShares(StringRedisTemplate redis) {
		return new RedisShares(redis, this.properties.keyPrefix());
	}

	@Bean
	@ConditionalOnProperty(name = "parley.broker.mode", havingValue = "relay")
	JdbcShares jdbcShares(JdbcClient jdbc, TransactionTemplate transactions) {
		return new JdbcShares(jdbc, transactions);
	}

	/** The user's nodes, for the bridge's user destinations: redis mode only. */
	private static UserRoutes routes(Shares shares) {
		return (shares instanceof RedisShares redis) ? redis.userRoutes() : UserRoutes.NONE;
	}

	@Bean
	SharedPresence sharedPresence(Shares shares, ExecutorService clusterPresence) {
		return new SharedPresence(shares, this.node, clusterPresence, routes(shares));
	}

	@Bean
	SharedRoomOccupancy sharedRoomOccupancy(Shares shares) {
		return new SharedRoomOccupancy(shares, this.node);
	}

	@Bean
	SharedSessionSlots sharedSessionSlots(Shares shares) {
		return new SharedSessionSlots(shares, this.node);
	}

	@Bean
	ClusterNodes clusterNodes(Shares shares, ApplicationEventPublisher events) {
		return new ClusterNodes(shares, this.node, this.properties.nodeTimeout(), events, Clock.systemUTC(),
				routes(shares));
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
	 * {@code cluster} in {@code /actuator/health}: DOWN while Redis (in relay mode, the
	 * database) is away. Not part of readiness: the node still serves its own sessions.
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
