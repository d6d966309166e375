package dev.parley.security;

import java.time.Instant;
import java.util.Collection;
import java.util.Set;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * An authenticated user, as established by a verified token. The token itself is not
 * kept.
 */
public final class JwtAuthentication extends AbstractAuthenticationToken {

	private final String username;

	private final Set<Role> roles;

	private final Instant expiresAt;

	public JwtAuthentication(String username, Set<Role> roles, Instant expiresAt) {
		super(authorities(roles));
		this.username = username;
		this.roles = Set.copyOf(roles);
		this.expiresAt = expiresAt;
		setAuthenticated(true);
	}

	private static Collection<SimpleGrantedAuthority> authorities(Set<Role> roles) {
		return roles.stream().map((role) -> new SimpleGrantedAuthority(role.authority())).toList();
	}

	@Override
	public Object getCredentials() {
		return "";
	}

	@Override
	public String getPrincipal() {
		return this.username;
	}

	@Override
	public String getName() {
		return this.username;
	}

	public Set<Role> roles() {
		return this.roles;
	}

	public Instant expiresAt() {
		return this.expiresAt;
	}

	public boolean hasRole(Role role) {
		return this.roles.contains(role);
	}

}
