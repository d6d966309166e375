package dev.parley.account;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.parley.security.Role;

/**
 * Accounts in the database; usernames are looked up case-insensitively.
 */
@Repository
class AccountRepository {

	private final JdbcClient jdbc;

	private final Clock clock;

	AccountRepository(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	Optional<Account> find(String username) {
		return this.jdbc.sql("select username, password_hash, roles from account where username_key = ?")
			.param(key(username))
			.query((rs, row) -> new Account(rs.getString(1), rs.getString(2), roles(rs.getString(3))))
			.optional();
	}

	/**
	 * @return false if the name is taken, whatever its case
	 */
	boolean create(String username, String passwordHash, Set<Role> roles) {
		try {
			this.jdbc.sql(
					"insert into account (username, username_key, password_hash, roles, created_at) values (?, ?, ?, ?, ?)")
				.params(username, key(username), passwordHash,
						roles.stream().map(Role::name).sorted().collect(Collectors.joining(",")),
						OffsetDateTime.ofInstant(this.clock.instant(), ZoneOffset.UTC))
				.update();
			return true;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	static String key(String username) {
		return username.toLowerCase(Locale.ROOT);
	}

	private static Set<Role> roles(String stored) {
		EnumSet<Role> roles = EnumSet.noneOf(Role.class);
		Arrays.stream(stored.split(",")).filter((name) -> !name.isBlank()).map(Role::valueOf).forEach(roles::add);
		return roles;
	}

}
