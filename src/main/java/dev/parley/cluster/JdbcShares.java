package dev.parley.cluster;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link Shares} in the database the nodes share ({@code V5__cluster.sql}), for
 * {@code relay} mode, which has no Redis. Each step is one transaction; the count's row
 * is updated before it is read, so the row lock orders concurrent steps of one count, and
 * a count going from 0 to 1 (or from 1 to 0) is seen by one node only. A count row two
 * nodes create at once makes one of them fail on the primary key: that step is run again.
 * Heartbeats are epoch milliseconds from the nodes' clocks, which are assumed to agree
 * within a second or so (NTP).
 */
final class JdbcShares implements Shares {

	/** Tries of a step that lost the race to create a count's row. */
	private static final int TRIES = 5;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	JdbcShares(JdbcClient jdbc, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	@Override
	public long add(String node, String share, String member, String counts, String field) {
		return again(() -> {
			Long count = this.transactions.execute((status) -> {
				if (has(node, share, member)) {
					return 0L;
				}
				insert(node, share, member);
				return bump(counts, field);
			});
			return (count != null) ? count : 0L;
		});
	}

	@Override
	public long remove(String node, String share, String member, String counts, String field) {
		Long left = this.transactions.execute((status) -> {
			int removed = this.jdbc.sql("delete from cluster_share where node_id = ? and kind = ? and item = ?")
				.params(node, share, member)
				.update();
			if (removed == 0) {
				return -1L;
			}
			this.jdbc.sql("update cluster_count set total = total - 1 where tally = ? and name = ?")
				.params(counts, field)
				.update();
			long count = total(counts, field);
			if (count <= 0) {
				this.jdbc.sql("delete from cluster_count where tally = ? and name = ?").params(counts, field).update();
			}
			return Math.max(count, 0);
		});
		return (left != null) ? left : -1;
	}

	@Override
	public boolean addBounded(String node, String share, String member, String counts, String field, int bound) {
		return again(() -> Boolean.TRUE.equals(this.transactions.execute((status) -> {
			if (has(node, share, member)) {
				return true;
			}
			// Locks the count's row (when there is one) until the place is taken.
			long count = this.jdbc.sql("select total from cluster_count where tally = ? and name = ? for update")
				.params(counts, field)
				.query(Long.class)
				.optional()
				.orElse(0L);
			if (count >= bound) {
				return false;
			}
			insert(node, share, member);
			bump(counts, field);
			return true;
		})));
	}

	@Override
	public Map<String, Long> counts(String counts) {
		Map<String, Long> above = new LinkedHashMap<>();
		this.jdbc.sql("select name, total from cluster_count where tally = ? and total > 0")
			.param(counts)
			.query((rs) -> {
				above.put(rs.getString(1), rs.getLong(2));
			});
		return above;
	}

	@Override
	public Set<String> members(String node, String share) {
		return new LinkedHashSet<>(this.jdbc.sql("select item from cluster_share where node_id = ? and kind = ?")
			.params(node, share)
			.query(String.class)
			.list());
	}

	@Override
	public void beat(String node, long now) {
		if (this.jdbc.sql("update cluster_node set beat = ? where node_id = ?").params(now, node).update() == 0) {
			try {
				this.jdbc.sql("insert into cluster_node (node_id, beat) values (?, ?)").params(node, now).update();
			}
			catch (DuplicateKeyException ex) {
				// Written by this node's previous beat in the meantime: it is alive.
			}
		}
	}

	@Override
	public Set<String> silentSince(long before) {
		return new LinkedHashSet<>(this.jdbc.sql("select node_id from cluster_node where beat <= ?")
			.param(before)
			.query(String.class)
			.list());
	}

	/**
	 * The claimant moves the silent node's heartbeat just past {@code before}: nobody
	 * else claims it this round, and if the take-out fails half-way the node is silent
	 * again at the next beat, and taken out again (each removal counts once).
	 */
	@Override
	public boolean claim(String dead, String by, long before) {
		return this.jdbc.sql("update cluster_node set beat = ? where node_id = ? and beat <= ?")
			.params(before + 1, dead, before)
			.update() == 1;
	}

	@Override
	public void forget(String dead) {
		this.jdbc.sql("delete from cluster_node where node_id = ?").param(dead).update();
	}

	@Override
	public long alive(long since) {
		return this.jdbc.sql("select count(*) from cluster_node where beat >= ?")
			.param(since)
			.query(Long.class)
			.single();
	}

	private boolean has(String node, String share, String member) {
		return this.jdbc.sql("select count(*) from cluster_share where node_id = ? and kind = ? and item = ?")
			.params(node, share, member)
			.query(Long.class)
			.single() > 0;
	}

	/**
	 * A member inserted by a concurrent step in the meantime fails on the primary key:
	 * the step is run again ({@link #again}), and then finds it.
	 */
	private void insert(String node, String share, String member) {
		this.jdbc.sql("insert into cluster_share (node_id, kind, item) values (?, ?, ?)")
			.params(node, share, member)
			.update();
	}

	/** +1 on the count, its row created when there is none; returns the new count. */
	private long bump(String counts, String field) {
		if (this.jdbc.sql("update cluster_count set total = total + 1 where tally = ? and name = ?")
			.params(counts, field)
			.update() == 0) {
			this.jdbc.sql("insert into cluster_count (tally, name, total) values (?, ?, 1)")
				.params(counts, field)
				.update();
			return 1;
		}
		return total(counts, field);
	}

	private long total(String counts, String field) {
		return this.jdbc.sql("select total from cluster_count where tally = ? and name = ?")
			.params(counts, field)
			.query(Long.class)
			.optional()
			.orElse(0L);
	}

	/**
	 * Runs a step again when it lost the race to create a row (its transaction was rolled
	 * back, nothing of it is left).
	 */
	private static <T> T again(Supplier<T> step) {
		for (int tried = 1;; tried++) {
			try {
				return step.get();
			}
			catch (DuplicateKeyException ex) {
				if (tried == TRIES) {
					throw ex;
				}
			}
		}
	}

}
