package dev.parley.history;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Room and private messages in the database. {@link #store} gives each new message its
 * id, timestamp and sequence number, and finds the stored original of a repeated
 * {@code clientMessageId}.
 */
@Repository
public class MessageStore {

	static final String DIRECT_SEQUENCE = "@direct";

	private static final String ROOM_COLUMNS = "room, seq, id, type, sender, content, created_at";

	private static final String DIRECT_COLUMNS = "seq, id, sender, recipient, text, created_at";

	private final JdbcClient jdbc;

	private final JdbcTemplate jdbcTemplate;

	private final Clock clock;

	/**
	 * Sequence rows known to exist (they are never deleted), so that a busy room costs no
	 * look-up per batch. Bounded: a room that falls out is looked up again, at the cost
	 * of one statement.
	 */
	private final Cache<String, Boolean> knownSequences = Caffeine.newBuilder().maximumSize(100_000).build();

	MessageStore(JdbcClient jdbc, JdbcTemplate jdbcTemplate, Clock clock) {
		this.jdbc = jdbc;
		this.jdbcTemplate = jdbcTemplate;
		this.clock = clock;
	}

	/**
	 * A draft's outcome: the stored message, and whether it had been stored before (a
	 * repeat).
	 */
	public record Stored(Object message, boolean repeat) {
	}

	/**
	 * Creates the sequence rows the drafts need, each in its own short transaction, so
	 * that a race between nodes to create one cannot abort the storing transaction.
	 */
	void prepareSequences(List<Draft> drafts) {
		for (Draft draft : drafts) {
			String key = sequenceKey(draft);
			if (this.knownSequences.getIfPresent(key) == null) {
				try {
					this.jdbc
						.sql("insert into room_sequence (room, last_seq) select ?, 0 where not exists "
								+ "(select 1 from room_sequence where room = ?)")
						.params(key, key)
						.update();
				}
				catch (DuplicateKeyException ex) {
					// Another node created it first.
				}
				this.knownSequences.put(key, Boolean.TRUE);
			}
		}
	}

	/** Stores the drafts; call inside a transaction, after {@link #prepareSequences}. */
	List<Stored> store(List<Draft> drafts) {
		// Milliseconds: what the database keeps, so a replayed message equals the live
		// one.
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
		Map<String, Object> existing = findRepeats(drafts);
		Map<String, Integer> firstOfKey = new HashMap<>();
		// Sorted: every node takes sequence row locks in the same order, so two batches
		// cannot deadlock.
		Map<String, Integer> newPerSequence = new TreeMap<>();
		List<@Nullable Stored> results = new ArrayList<>();
		for (int i = 0; i < drafts.size(); i++) {
			Draft draft = drafts.get(i);
			String key = repeatKey(draft);
			if (key != null && existing.containsKey(key)) {
				results.add(new Stored(existing.get(key), true));
			}
			else if (key != null && firstOfKey.containsKey(key)) {
				results.add(null);
			}
			else {
				if (key != null) {
					firstOfKey.put(key, i);
				}
				newPerSequence.merge(sequenceKey(draft), 1, Integer::sum);
				results.add(null);
			}
		}
		Map<String, Long> nextSeq = new HashMap<>();
		newPerSequence.forEach((sequence, count) -> nextSeq.put(sequence, reserve(sequence, count) - count + 1));
		List<Object[]> roomRows = new ArrayList<>();
		List<Object[]> directRows = new ArrayList<>();
		OffsetDateTime createdAt = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
		for (int i = 0; i < drafts.size(); i++) {
			if (results.get(i) != null) {
				continue;
			}
			Draft draft = drafts.get(i);
			String key = repeatKey(draft);
			Integer first = (key != null) ? firstOfKey.get(key) : null;
			if (first != null && first != i) {
				results.set(i, new Stored(results.get(first).message(), true));
				continue;
			}
			long seq = nextSeq.merge(sequenceKey(draft), 1L, Long::sum) - 1;
			String id = UUID.randomUUID().toString();
			if (draft instanceof Draft.Room room) {
				roomRows.add(new Object[] { room.room(), seq, id, room.type().name(), room.sender(), room.content(),
						room.clientMessageId(), createdAt });
				results.set(i, new Stored(
						new RoomMessage(id, room.sender(), room.content(), room.room(), now, room.type(), seq), false));
			}
			else if (draft instanceof Draft.Direct direct) {
				directRows.add(new Object[] { seq, id, direct.sender(), direct.recipient(), direct.text(),
						direct.clientMessageId(), createdAt });
				results.set(i, new Stored(
						new DirectMessage(id, direct.sender(), direct.recipient(), direct.text(), now, seq), false));
			}
		}
		if (!roomRows.isEmpty()) {
			this.jdbcTemplate.batchUpdate("insert into room_message (room, seq, id, type, sender, content, "
					+ "client_message_id, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)", roomRows);
		}
		if (!directRows.isEmpty()) {
			this.jdbcTemplate.batchUpdate("insert into direct_message (seq, id, sender, recipient, text, "
					+ "client_message_id, created_at) values (?, ?, ?, ?, ?, ?, ?)", directRows);
		}
		List<Stored> stored = new ArrayList<>(results.size());
		for (Stored result : results) {
			stored.add(result);
		}
		return stored;
	}

	/**
	 * Takes {@code count} numbers from a sequence under its row lock; returns the last
	 * one taken.
	 */
	private long reserve(String sequence, int count) {
		this.jdbc.sql("update room_sequence set last_seq = last_seq + ? where room = ?")
			.params(count, sequence)
			.update();
		return this.jdbc.sql("select last_seq from room_sequence where room = ?")
			.param(sequence)
			.query(Long.class)
			.single();
	}

	/**
	 * The stored originals of drafts whose {@code clientMessageId} the sender used
	 * before. Looked up by sender and id together, which the unique index on
	 * {@code (sender, client_message_id)} answers without a scan.
	 */
	private Map<String, Object> findRepeats(List<Draft> drafts) {
		Set<String> roomSenders = new HashSet<>();
		Set<String> roomIds = new HashSet<>();
		Set<String> directSenders = new HashSet<>();
		Set<String> directIds = new HashSet<>();
		for (Draft draft : drafts) {
			if (draft.clientMessageId() != null) {
				boolean room = draft instanceof Draft.Room;
				(room ? roomSenders : directSenders).add(draft.sender());
				(room ? roomIds : directIds).add(draft.clientMessageId());
			}
		}
		Map<String, Object> found = new HashMap<>();
		findRepeats("room", "room_message", ROOM_COLUMNS, roomSenders, roomIds, (rs, row) -> roomMessage(rs), found);
		findRepeats("direct", "direct_message", DIRECT_COLUMNS, directSenders, directIds,
				(rs, row) -> directMessage(rs), found);
		return found;
	}

	private void findRepeats(String kind, String table, String columns, Set<String> senders, Set<String> ids,
			RowMapper<?> mapper, Map<String, Object> found) {
		if (ids.isEmpty()) {
			return;
		}
		this.jdbc
			.sql("select " + columns + ", client_message_id from " + table
					+ " where sender in (:senders) and client_message_id in (:ids)")
			.param("senders", senders)
			.param("ids", ids)
			.query((rs, row) -> {
				Object message = mapper.mapRow(rs, row);
				found.put(repeatKey(kind, rs.getString("sender"), rs.getString("client_message_id")), message);
				return message;
			})
			.list();
	}

	private static @Nullable String repeatKey(Draft draft) {
		if (draft.clientMessageId() == null) {
			return null;
		}
		return repeatKey((draft instanceof Draft.Room) ? "room" : "direct", draft.sender(), draft.clientMessageId());
	}

	private static String repeatKey(String kind, String sender, String clientMessageId) {
		return kind + "\u0000" + sender + "\u0000" + clientMessageId;
	}

	private static String sequenceKey(Draft draft) {
		return (draft instanceof Draft.Room room) ? room.room() : DIRECT_SEQUENCE;
	}

	/**
	 * Room messages with {@code after < seq < before}, oldest first, at most
	 * {@code limit}.
	 */
	public List<RoomMessage> roomAfter(String room, long after, long before, int limit) {
		return this.jdbc
			.sql("select " + ROOM_COLUMNS
					+ " from room_message where room = ? and seq > ? and seq < ? order by seq limit ?")
			.params(room, after, before, limit)
			.query((rs, row) -> roomMessage(rs))
			.list();
	}

	/**
	 * Room messages with {@code seq < before}, the newest {@code limit} of them, oldest
	 * first.
	 */
	public List<RoomMessage> roomBefore(String room, long before, int limit) {
		List<RoomMessage> newestFirst = this.jdbc
			.sql("select " + ROOM_COLUMNS + " from room_message where room = ? and seq < ? order by seq desc limit ?")
			.params(room, before, limit)
			.query((rs, row) -> roomMessage(rs))
			.list();
		return reversed(newestFirst);
	}

	/**
	 * Private messages to or from a user with {@code seq > after}, oldest first, at most
	 * {@code limit}.
	 */
	public List<DirectMessage> directAfter(String user, long after, int limit) {
		return this.jdbc
			.sql("select " + DIRECT_COLUMNS + " from direct_message where (recipient = ? or sender = ?) "
					+ "and seq > ? order by seq limit ?")
			.params(user, user, after, limit)
			.query((rs, row) -> directMessage(rs))
			.list();
	}

	/** The newest {@code limit} private messages to or from a user, oldest first. */
	public List<DirectMessage> directLatest(String user, int limit) {
		List<DirectMessage> newestFirst = this.jdbc
			.sql("select " + DIRECT_COLUMNS + " from direct_message where "
					+ "recipient = ? or sender = ? order by seq desc limit ?")
			.params(user, user, limit)
			.query((rs, row) -> directMessage(rs))
			.list();
		return reversed(newestFirst);
	}

	/**
	 * Private messages between two users with {@code after < seq < before}, the newest
	 * {@code limit}, oldest first.
	 */
	public List<DirectMessage> conversation(String user, String other, long after, long before, int limit) {
		List<DirectMessage> newestFirst = this.jdbc
			.sql("select " + DIRECT_COLUMNS + " from direct_message where "
					+ "((sender = ? and recipient = ?) or (sender = ? and recipient = ?)) and seq > ? and seq < ? "
					+ "order by seq desc limit ?")
			.params(user, other, other, user, after, before, limit)
			.query((rs, row) -> directMessage(rs))
			.list();
		return reversed(newestFirst);
	}

	private static <T> List<T> reversed(List<T> list) {
		List<T> copy = new ArrayList<>(list);
		Collections.reverse(copy);
		return copy;
	}

	private static RoomMessage roomMessage(ResultSet rs) throws SQLException {
		return new RoomMessage(rs.getString("id"), rs.getString("sender"), rs.getString("content"),
				rs.getString("room"), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
				RoomMessage.Type.valueOf(rs.getString("type")), rs.getLong("seq"));
	}

	private static DirectMessage directMessage(ResultSet rs) throws SQLException {
		return new DirectMessage(rs.getString("id"), rs.getString("sender"), rs.getString("recipient"),
				rs.getString("text"), rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getLong("seq"));
	}

}
