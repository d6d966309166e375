package dev.parley.security;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;

import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.stereotype.Controller;

import dev.parley.messaging.Caller;
import dev.parley.replies.ChatException;

/**
 * {@code /app/auth.refresh}: a session hands over a new token for the same user and goes
 * on past the old one's expiry.
 */
@Controller
class TokenRefreshController {

	private final JwtVerifier verifier;

	private final AuthenticatedSessions sessions;

	TokenRefreshController(JwtVerifier verifier, AuthenticatedSessions sessions) {
		this.verifier = verifier;
		this.sessions = sessions;
	}

	@MessageMapping("auth.refresh")
	void refresh(@Valid @Payload Refresh request, Caller caller) {
		JwtAuthentication fresh;
		try {
			fresh = this.verifier.verify(request.token());
		}
		catch (InvalidTokenException ex) {
			throw new ChatException("unauthorized", ex.detail());
		}
		if (!fresh.getName().equals(caller.name()) || !this.sessions.refresh(caller.sessionId(), fresh)) {
			throw new ChatException("forbidden", "The new token must be for the same user as the session");
		}
	}

	/** The new token; never printed. */
	record Refresh(@NotBlank String token) {

		@Override
		public String toString() {
			return "Refresh[token=[PROTECTED]]";
		}

	}

}
