package dev.parley.account;

import java.util.Set;

import dev.parley.security.Role;

/**
 * A stored account. The password is kept only as a hash.
 */
record Account(String username, String passwordHash, Set<Role> roles) {

	@Override
	public String toString() {
		return "Account[username=" + this.username + ", roles=" + this.roles + "]";
	}

}
