package dev.parley.room;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Rooms created over REST, with their members. A room that is not here is public.
 */
@Repository
public class RoomDirectory {

	private final JdbcClient jdbc;

	private final Clock clock;

	RoomDirectory(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** A created room. */
	record StoredRoom(String name, boolean isPrivate, String createdBy) {
	}

	/**
	 * Whether a user may enter a room: any public room, or a private room the user is a member of.
	 */
	public boolean mayEnter(String room, String user) {
		Optional<Boolean> isPrivate = this.jdbc.sql("select private from room where name = ?")
			.param(room)
			.query(Boolean.class)
			.optional();
		return isPrivate.isEmpty() || !isPrivate.get() || isMember(room, user);
	}

	boolean isMember(String room, String user) {
		return this.jdbc.sql("select count(*) from room_member where room = ? and username = ?")
			.params(room, user)
			.query(Integer.class)
			.single() > 0;
	}

	/** Whether anything was ever said in a room (it has a sequence of stored messages). */
	boolean hasHistory(String room) {
		return this.jdbc.sql("select count(*) from room_sequence where room = ?")
			.param(room)
			.query(Integer.class)
			.single() > 0;
	}

	/** @return false if a room of that name was created before */
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
		return true;
	}

	void addMember(String room, String user) {
		if (!isMember(room, user)) {
			try {
				this.jdbc.sql("insert into room_member (room, username) values (?, ?)").params(room, user).update();
			}
			catch (DuplicateKeyException ex) {
				// Added by a concurrent request: the outcome is the same.
			}
		}
	}

	/** @return false if the user was not a member */
	boolean removeMember(String room, String user) {
		return this.jdbc.sql("delete from room_member where room = ? and username = ?").params(room, user).update() > 0;
	}

	Optional<StoredRoom> find(String name) {
		return this.jdbc.sql("select name, private, created_by from room where name = ?")
			.param(name)
			.query((rs, row) -> new StoredRoom(rs.getString(1), rs.getBoolean(2), rs.getString(3)))
			.optional();
	}

	/** Public rooms and the private rooms the user is a member of, with their member counts. */
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
