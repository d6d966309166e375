package dev.parley.security;

import java.util.EnumSet;
import java.util.Objects;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.parley.api.ApiProblem;
import dev.parley.security.TokenIssuer.IssuedToken;

/**
 * {@code POST /api/auth/service-token}: a backend service exchanges its client id and
 * secret for a token with role {@code SERVICE}, whose subject is the client id.
 */
@RestController
class ServiceTokenController {

	private final ServiceProperties services;

	private final PasswordEncoder passwordEncoder;

	private final TokenIssuer tokens;

	/**
	 * Compared against for an unknown client, so that a miss takes as long as a wrong
	 * secret.
	 */
	private final String unknownClientHash;

	private final LoginThrottle throttle;

	ServiceTokenController(ServiceProperties services, PasswordEncoder passwordEncoder, TokenIssuer tokens,
			LoginThrottle throttle) {
		this.services = services;
		this.throttle = throttle;
		this.passwordEncoder = passwordEncoder;
		this.tokens = tokens;
		this.unknownClientHash = Objects.requireNonNull(passwordEncoder.encode("not the secret of any client"));
	}

	@PostMapping("/api/auth/service-token")
	TokenResponse token(@Valid @RequestBody ClientCredentials credentials, HttpServletRequest request) {
		// Throttled like logins, under a key no username can take (':' is not allowed in
		// usernames).
		String key = "service:" + credentials.clientId();
		String address = request.getRemoteAddr();
		this.throttle.attempt(key, address).ifPresent((wait) -> {
			throw ApiProblem.tooManyRequests("Too many failed attempts; try again later", wait);
		});
		String hash = this.services.clients().get(credentials.clientId());
		boolean matches = this.passwordEncoder.matches(credentials.clientSecret(),
				(hash != null) ? hash : this.unknownClientHash);
		if (hash == null || !matches) {
			throw new ApiProblem(HttpStatus.UNAUTHORIZED, "Invalid client id or secret");
		}
		this.throttle.succeeded(key, address);
		IssuedToken token = this.tokens.issue(credentials.clientId(), EnumSet.of(Role.SERVICE));
		return new TokenResponse(token.accessToken(), "Bearer", token.expiresIn());
	}

	/** A service's credentials; never printed. */
	record ClientCredentials(
			@NotNull @Pattern(regexp = "[A-Za-z0-9_.-]{1,64}",
					message = "must be 1 to 64 of A-Z, a-z, 0-9, _, . and -") String clientId,
			@NotNull @Size(max = 256) String clientSecret) {

		@Override
		public String toString() {
			return "ClientCredentials[clientId=" + this.clientId + ", clientSecret=[PROTECTED]]";
		}

	}

	record TokenResponse(String accessToken, String tokenType, long expiresIn) {

		@Override
		public String toString() {
			return "TokenResponse[accessToken=[PROTECTED], expiresIn=" + this.expiresIn + "]";
		}

	}

}
