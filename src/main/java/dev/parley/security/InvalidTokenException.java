package dev.parley.security;

import org.springframework.security.core.AuthenticationException;

/**
 * A token that is missing, malformed, wrongly signed or no longer valid. Its message says
 * why, for the client, and never contains the token itself.
 */
public class InvalidTokenException extends AuthenticationException {

	private final String reason;

	public InvalidTokenException(String reason) {
		super(reason);
		this.reason = reason;
	}

	/** Why the token was refused, for the client. */
	public String detail() {
		return this.reason;
	}

}
