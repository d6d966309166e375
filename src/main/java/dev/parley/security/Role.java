package dev.parley.security;

/**
 * What a token's {@code roles} claim may grant.
 */
public enum Role {

	USER, SERVICE, ADMIN

}
