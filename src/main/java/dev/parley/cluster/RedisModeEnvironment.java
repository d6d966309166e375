package dev.parley.cluster;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Leaves Spring Boot's Redis auto-configuration out unless {@code parley.broker.mode} is
 * {@code redis}: one node runs with nothing installed, so neither a Redis client nor a
 * {@code redis} health check (DOWN without a Redis) belongs in it.
 */
class RedisModeEnvironment implements EnvironmentPostProcessor {

	static final String[] REDIS_AUTO_CONFIGURATIONS = {
			"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.observation.LettuceObservationAutoConfiguration" };

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if ("redis".equalsIgnoreCase(environment.getProperty("parley.broker.mode", "simple"))) {
			// The cluster has its own health check, which leaves readiness alone.
			environment.getPropertySources()
				.addLast(
						new MapPropertySource("parley-redis-mode", Map.of("management.health.redis.enabled", "false")));
			return;
		}
		Set<String> excluded = new LinkedHashSet<>(
				StringUtils.commaDelimitedListToSet(environment.getProperty("spring.autoconfigure.exclude", "")));
		excluded.addAll(Set.of(REDIS_AUTO_CONFIGURATIONS));
		excluded.remove("");
		environment.getPropertySources()
			.addFirst(new MapPropertySource("parley-no-redis",
					Map.of("spring.autoconfigure.exclude", String.join(",", excluded))));
	}

}
