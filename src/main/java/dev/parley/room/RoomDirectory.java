package dev.parley.room;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import dev.parley.security.RoomAccess;

/**
 * Rooms created over REST, with their members. A room that is not here is public. Who may
 * enter which room is answered from memory (see {@link #privateRooms}).
 */
@Repository
public class RoomDirectory implements RoomAccess {

	private static final Log logger = LogFactory.getLog(RoomDirectory.class);

	private final JdbcClient jdbc;

	private final Clock clock;

	/**
	 * Private rooms and their members, in memory: {@link #mayEnter} is asked on the
	 * container's I/O threads (every room {@code SUBSCRIBE} is authorized there, twice),
	 * where it must neither wait on the database nor fail when the database is away.
	 * Changed with every change made here; read again from the database every
	 * {@code parley.rooms.access-refresh}, for changes made through other nodes.
	 */
	private volatile Map<String, Set<String>> privateRooms = new ConcurrentHashMap<>();

	/**
	 * Counts changes made here, so that a refresh that overlapped one is not taken (it
	 * may have missed it).
	 */
	private final AtomicLong changes = new AtomicLong();

	RoomDirectory(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Reads the private rooms and their members from the database; keeps the current view
	 * if it cannot.
	 * @return the rooms fewer users may enter than the view before said: made private, or
	 * with members removed, through another node (or through this one, then already
	 * handled)
	 */
	Set<String> refresh() {
		long before = this.changes.get();
		Map<String, Set<String>> rooms = new ConcurrentHashMap<>();
		try {
			this.jdbc.sql("select name from room where private = true")
				.query(String.class)
				.list()
				.forEach((name) -> rooms.put(name, ConcurrentHashMap.newKeySet()));
			this.jdbc
				.sql("select m.room, m.username from room_member m join room r on r.name = m.room "
						+ "where r.private = true")
				.query((rs, row) -> rooms.computeIfAbsent(rs.getString(1), (key) -> ConcurrentHashMap.newKeySet())
					.add(rs.getString(2)))
				.list();
		}
		catch (DataAccessException ex) {
			logger.debug("Private rooms not read again, keeping the ones known: " + ex.getMessage());
			return Set.of();
		}
		if (this.changes.get() != before) {
			return Set.of();
		}
		Map<String, Set<String>> was = this.privateRooms;
		this.privateRooms = rooms;
		Set<String> narrowed = new HashSet<>();
		rooms.forEach((room, members) -> {
			Set<String> membersBefore = was.get(room);
			if (membersBefore == null || !members.containsAll(membersBefore)) {
				narrowed.add(room);
			}
		});
		return narrowed;
	}

	/** A created room. */
	record StoredRoom(String name, boolean isPrivate, String createdBy) {
	}

	/**
	 * Whether a user may enter a room: any public room, or a private room the user is a
	 * member of.
	 */
	@Override
	public boolean mayEnter(String room, String user) {
		Set<String> members = this.privateRooms.get(room);
		return members == null || members.contains(user);
	}

	boolean isMember(String room, String user) {
		return this.jdbc.sql("select count(*) from room_member where room = ? and username = ?")
			.params(room, user)
			.query(Integer.class)
			.single() > 0;
	}

	/**
	 * Whether anything was ever said in a room (it has a sequence of stored messages).
	 */
	boolean hasHistory(String room) {
		return this.jdbc.sql("select count(*) from room_sequence where room = ?")
			.param(room)
			.query(Integer.class)
			.single() > 0;
	}

	/**
	 * @return false if a room of that name was created before
	 */
	@Transactional
	boolean create(String name, boolean isPrivate, String creator, Set<String> members) {
		try {
			this.jdbc.sql("insert into room (name, private, created_by, created_at) values (?, ?, ?, ?)")
				.params(name, isPrivate, creator, OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC))
				.update();
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
		for (String member : members) {
			addMember(name, member);
		}
		if (isPrivate) {
			this.changes.incrementAndGet();
			Set<String> known = ConcurrentHashMap.newKeySet();
			known.addAll(members);
			this.privateRooms.put(name, known);
		}
		return true;
	}

	void addMember(String room, String user) {
		this.changes.incrementAndGet();
		Set<String> known = this.privateRooms.get(room);
		if (known != null) {
			known.add(user);
		}
		if (!isMember(room, user)) {
			try {
				this.jdbc.sql("insert into room_member (room, username) values (?, ?)").params(room, user).update();
			}
			catch (DuplicateKeyException ex) {
				// Added by a concurrent request: the outcome is the same.
			}
		}
	}

	/**
	 * @return false if the user was not a member
	 */
	boolean removeMember(String room, String user) {
		boolean removed = this.jdbc.sql("delete from room_member where room = ? and username = ?")
			.params(room, user)
			.update() > 0;
		this.changes.incrementAndGet();
		Set<String> known = this.privateRooms.get(room);
		if (known != null) {
			known.remove(user);
		}
		return removed;
	}

	Optional<StoredRoom> find(String name) {
		return this.jdbc.sql("select name, private, created_by from room where name = ?")
			.param(name)
			.query((rs, row) -> new StoredRoom(rs.getString(1), rs.getBoolean(2), rs.getString(3)))
			.optional();
	}

	/**
	 * Public rooms and the private rooms the user is a member of, with their member
	 * counts.
	 */
	List<RoomCount> visibleTo(String user) {
		return this.jdbc.sql("""
				select r.name, r.private, (select count(*) from room_member m where m.room = r.name)
				from room r
				where r.private = false or exists (select 1 from room_member m where m.room = r.name and m.username = ?)
				order by r.name""")
			.param(user)
			.query((rs, row) -> new RoomCount(rs.getString(1), rs.getBoolean(2), rs.getInt(3)))
			.list();
	}

	/** A room and how many members it has. */
	record RoomCount(String name, boolean isPrivate, int members) {
	}

}
