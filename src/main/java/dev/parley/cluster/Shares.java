package dev.parley.cluster;

import java.util.List;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Counts kept in Redis with each node's share of them: a count ({@code hash}, field) goes
 * up when a node adds a member to its own set and down when it removes it. Both steps run
 * as one script, so counting is exact however often a step is repeated, and a dead node's
 * share is taken out by removing its members one by one (see {@link ClusterNodes})
 * without counting anything twice.
 * <p>
 * Keys (under {@code parley.cluster.key-prefix}): {@code nodes} (sorted set of node ids
 * by last heartbeat), {@code node:<id>:users}, {@code node:<id>:rooms},
 * {@code node:<id>:sessions} (each node's share), {@code online} (user → nodes having the
 * user online), {@code room:<room>} (user → nodes having the user in the room),
 * {@code sessions} (user → sessions on every node), {@code user:<name>} (the nodes a user
 * has sessions on, for user destinations). Redis Cluster is not supported: the scripts
 * take keys of several slots.
 */
final class Shares {

	/** Adds a member to a node's share: +1 on the count when it was not there. */
	private static final RedisScript<Long> ADD = RedisScript.of("""
			if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then
			  return redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
			end
			return 0""", Long.class);

	/**
	 * Removes a member from a node's share: -1 on the count when it was there, and the
	 * count goes when it reaches 0. Returns the count left, or -1 when the member was not
	 * there.
	 */
	private static final RedisScript<Long> REMOVE = RedisScript.of("""
			if redis.call('SREM', KEYS[1], ARGV[1]) == 1 then
			  local left = redis.call('HINCRBY', KEYS[2], ARGV[2], -1)
			  if left <= 0 then redis.call('HDEL', KEYS[2], ARGV[2]) end
			  return left
			end
			return -1""", Long.class);

	/**
	 * {@link #ADD} within a bound: 0 (and nothing added) when the count is at the bound.
	 */
	private static final RedisScript<Long> ADD_BOUNDED = RedisScript.of("""
			if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 1 end
			local count = tonumber(redis.call('HGET', KEYS[2], ARGV[2]) or '0')
			if count >= tonumber(ARGV[3]) then return 0 end
			redis.call('SADD', KEYS[1], ARGV[1])
			redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
			return 1""", Long.class);

	private final StringRedisTemplate redis;

	private final String prefix;

	Shares(StringRedisTemplate redis, String prefix) {
		this.redis = redis;
		this.prefix = prefix;
	}

	String key(String name) {
		return this.prefix + name;
	}

	String nodeKey(String node, String share) {
		return this.prefix + "node:" + node + ":" + share;
	}

	/**
	 * @return the count after adding, or 0 when the member was there already
	 */
	long add(String nodeShare, String counts, String member, String field) {
		Long count = this.redis.execute(ADD, List.of(nodeShare, counts), member, field);
		return (count != null) ? count : 0;
	}

	/**
	 * @return the count left, or -1 when the member was not there
	 */
	long remove(String nodeShare, String counts, String member, String field) {
		Long left = this.redis.execute(REMOVE, List.of(nodeShare, counts), member, field);
		return (left != null) ? left : -1;
	}

	boolean addBounded(String nodeShare, String counts, String member, String field, int bound) {
		Long added = this.redis.execute(ADD_BOUNDED, List.of(nodeShare, counts), member, field,
				Integer.toString(bound));
		return added != null && added == 1;
	}

	StringRedisTemplate redis() {
		return this.redis;
	}

}
