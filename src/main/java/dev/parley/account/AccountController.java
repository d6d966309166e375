package dev.parley.account;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.parley.security.TokenIssuer.IssuedToken;

/**
 * {@code POST /api/auth/register} and {@code POST /api/auth/login}.
 */
@RestController
class AccountController {

	static final String USERNAME = "[A-Za-z0-9_.-]{3,32}";

	private final AccountService accounts;

	AccountController(AccountService accounts) {
		this.accounts = accounts;
	}

	@PostMapping("/api/auth/register")
	@ResponseStatus(HttpStatus.CREATED)
	Registered register(@Valid @RequestBody Credentials credentials, HttpServletRequest request) {
		this.accounts.register(credentials.username(), credentials.password(), request.getRemoteAddr());
		return new Registered(credentials.username());
	}

	@PostMapping("/api/auth/login")
	LoginResponse login(@Valid @RequestBody Credentials credentials, HttpServletRequest request) {
		IssuedToken token = this.accounts.login(credentials.username(), credentials.password(),
				request.getRemoteAddr());
		return new LoginResponse(token.accessToken(), "Bearer", token.expiresIn());
	}

	/** A username and password; never printed. */
	record Credentials(
			@NotNull @Pattern(regexp = USERNAME,
					message = "must be 3 to 32 of A-Z, a-z, 0-9, _, . and -") String username,
			@NotNull @Size(max = 128) String password) {

		@Override
		public String toString() {
			return "Credentials[username=" + this.username + ", password=[PROTECTED]]";
		}

	}

	record Registered(String username) {
	}

	record LoginResponse(String accessToken, String tokenType, long expiresIn) {

		@Override
		public String toString() {
			return "LoginResponse[accessToken=[PROTECTED], expiresIn=" + this.expiresIn + "]";
		}

	}

}
