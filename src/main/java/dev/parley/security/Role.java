package dev.parley.security;

import org.springframework.security.core.Authentication;

/**
 * What a token's {@code roles} claim may grant.
 */
public enum Role {

	USER, SERVICE, ADMIN;

	/** The authority Spring Security's role checks look for. */
	public String authority() {
		return "ROLE_" + name();
	}

	/** Whether an authenticated caller holds this role. */
	public boolean isHeldBy(Authentication authentication) {
		String authority = authority();
		return authentication.getAuthorities().stream().anyMatch((granted) -> authority.equals(granted.getAuthority()));
	}

}
