package dev.parley.cluster;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * {@link Shares} in Redis, each step one Lua script. Keys (under
 * {@code parley.cluster.key-prefix}): {@code nodes} (sorted set of node ids by last
 * heartbeat), {@code node:<id>:<share>} (each node's share, a set), {@code <counts>} (a
 * hash of field → count: {@code online}, {@code room:<room>}, {@code sessions}),
 * {@code claim:<id>} (who takes a gone node out). Redis Cluster is not supported: the
 * scripts take keys of several slots.
 */
final class RedisShares implements Shares {

	private static final RedisScript<Long> ADD = RedisScript.of("""
			if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then
			  return redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
			end
			return 0""", Long.class);

	private static final RedisScript<Long> REMOVE = RedisScript.of("""
			if redis.call('SREM', KEYS[1], ARGV[1]) == 1 then
			  local left = redis.call('HINCRBY', KEYS[2], ARGV[2], -1)
			  if left <= 0 then redis.call('HDEL', KEYS[2], ARGV[2]) end
			  return left
			end
			return -1""", Long.class);

	private static final RedisScript<Long> ADD_BOUNDED = RedisScript.of("""
			if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 1 end
			local count = tonumber(redis.call('HGET', KEYS[2], ARGV[2]) or '0')
			if count >= tonumber(ARGV[3]) then return 0 end
			redis.call('SADD', KEYS[1], ARGV[1])
			redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
			return 1""", Long.class);

	private final StringRedisTemplate redis;

	private final String prefix;

	RedisShares(StringRedisTemplate redis, String prefix) {
		this.redis = redis;
		this.prefix = prefix;
	}

	private String key(String name) {
		return this.prefix + name;
	}

	private String nodeKey(String node, String share) {
		return this.prefix + "node:" + node + ":" + share;
	}

	@Override
	public long add(String node, String share, String member, String counts, String field) {
		Long count = this.redis.execute(ADD, List.of(nodeKey(node, share), key(counts)), member, field);
		return (count != null) ? count : 0;
	}

	@Override
	public long remove(String node, String share, String member, String counts, String field) {
		Long left = this.redis.execute(REMOVE, List.of(nodeKey(node, share), key(counts)), member, field);
		return (left != null) ? left : -1;
	}

	@Override
	public boolean addBounded(String node, String share, String member, String counts, String field, int bound) {
		Long added = this.redis.execute(ADD_BOUNDED, List.of(nodeKey(node, share), key(counts)), member, field,
				Integer.toString(bound));
		return added != null && added == 1;
	}

	@Override
	public Map<String, Long> counts(String counts) {
		Map<String, Long> above = new LinkedHashMap<>();
		this.redis.<String, String>opsForHash().entries(key(counts)).forEach((field, count) -> {
			long value = Long.parseLong(count);
			if (value > 0) {
				above.put(field, value);
			}
		});
		return above;
	}

	@Override
	public Set<String> members(String node, String share) {
		Set<String> members = this.redis.opsForSet().members(nodeKey(node, share));
		return (members != null) ? members : Set.of();
	}

	@Override
	public void beat(String node, long now) {
		this.redis.opsForZSet().add(key("nodes"), node, now);
	}

	@Override
	public Set<String> silentSince(long before) {
		Set<String> silent = this.redis.opsForZSet().rangeByScore(key("nodes"), Double.NEGATIVE_INFINITY, before);
		return (silent != null) ? silent : Set.of();
	}

	@Override
	public boolean claim(String dead, String by, long before) {
		return Boolean.TRUE
			.equals(this.redis.opsForValue().setIfAbsent(key("claim:" + dead), by, Duration.ofMinutes(1)));
	}

	@Override
	public void forget(String dead) {
		this.redis.opsForZSet().remove(key("nodes"), dead);
	}

	@Override
	public long alive(long since) {
		Long count = this.redis.opsForZSet().count(key("nodes"), since, Double.POSITIVE_INFINITY);
		return (count != null) ? count : 0;
	}

	/** The nodes a user has sessions on ({@code user:<name>}), for user destinations. */
	UserRoutes userRoutes() {
		return new UserRoutes() {

			@Override
			public void here(String user, String node) {
				RedisShares.this.redis.opsForSet().add(key("user:" + user), node);
			}

			@Override
			public void gone(String user, String node) {
				RedisShares.this.redis.opsForSet().remove(key("user:" + user), node);
			}

		};
	}

}
