package dev.parley.messaging;

import java.security.Principal;

import org.jspecify.annotations.Nullable;

/**
 * The sender of every message is the authenticated principal. A body may name the sender (older clients do), but
 * a body that names somebody else is refused, never believed.
 */
public final class Senders {

	private Senders() {
	}

	public static String requireSelf(Principal principal, @Nullable String claimed) {
		String name = principal.getName();
		if (claimed != null && !claimed.equals(name)) {
			throw new ChatException("sender-mismatch", "You are signed in as '" + name + "' and cannot send as '"
					+ claimed + "'");
		}
		return name;
	}

}
