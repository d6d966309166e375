package dev.parley.cluster;

import java.util.Map;
import java.util.Set;

/**
 * Counts shared by the nodes, with each node's share of them, and the nodes' heartbeats:
 * the store behind cluster-wide presence, room lists and session limits. A count
 * ({@code counts}, {@code field}) goes up when a node adds a member to its own share and
 * down when it removes it; each step is atomic, so counting is exact however often a step
 * is repeated, and a dead node's share is taken out by removing its members one by one
 * (see {@link ClusterNodes}) without counting anything twice. Redis backs it in
 * {@code redis} mode ({@link RedisShares}), the database in {@code relay} mode
 * ({@link JdbcShares}). Every method may throw a {@code DataAccessException} while the
 * store is away.
 */
interface Shares {

	/**
	 * Adds a member to a node's share: +1 on the count when it was not there.
	 * @return the count after adding, or 0 when the member was there already
	 */
	long add(String node, String share, String member, String counts, String field);

	/**
	 * Removes a member from a node's share: -1 on the count when it was there; a count
	 * that reaches 0 goes.
	 * @return the count left, or -1 when the member was not there
	 */
	long remove(String node, String share, String member, String counts, String field);

	/**
	 * {@link #add} within a bound.
	 * @return false (and nothing added) when the count is at the bound and the member was
	 * not there
	 */
	boolean addBounded(String node, String share, String member, String counts, String field, int bound);

	/** The fields of {@code counts} above 0, with their counts. */
	Map<String, Long> counts(String counts);

	/** The members of a node's share. */
	Set<String> members(String node, String share);

	/** Records the node's heartbeat at {@code now} (epoch milliseconds). */
	void beat(String node, long now);

	/** The nodes whose last heartbeat is older than {@code before}. */
	Set<String> silentSince(long before);

	/**
	 * Claims a silent node for taking its share out: true for one claimant only. Its
	 * heartbeat is forgotten once its share is out ({@link #forget}).
	 */
	boolean claim(String dead, String by, long before);

	/** Forgets a node taken out. */
	void forget(String dead);

	/** How many nodes have beaten since {@code since}. */
	long alive(long since);

}
