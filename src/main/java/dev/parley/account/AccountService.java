package dev.parley.account;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

import dev.parley.api.ApiProblem;
import dev.parley.security.LoginThrottle;
import dev.parley.security.Role;
import dev.parley.security.TokenIssuer;
import dev.parley.security.TokenIssuer.IssuedToken;

/**
 * The rules of accounts: who may register with what, and login, which checks the password
 * and issues a token.
 */
@Service
class AccountService {

	private final AccountRepository accounts;

	private final PasswordEncoder passwordEncoder;

	private final TokenIssuer tokens;

	private final LoginThrottle throttle;

	private final AccountProperties properties;

	/**
	 * Compared against when the username is unknown, so that a miss takes as long as a
	 * wrong password.
	 */
	private final String unknownUserHash;

	AccountService(AccountRepository accounts, PasswordEncoder passwordEncoder, TokenIssuer tokens,
			LoginThrottle throttle, AccountProperties properties) {
		this.accounts = accounts;
		this.passwordEncoder = passwordEncoder;
		this.tokens = tokens;
		this.throttle = throttle;
		this.properties = properties;
		this.unknownUserHash = Objects.requireNonNull(passwordEncoder.encode("not a password of anyone"));
	}

	void register(String username, String password, String address) {
		if (!this.properties.registrationOpen()) {
			throw new ApiProblem(HttpStatus.FORBIDDEN, "Registration is closed on this server");
		}
		checkPassword(username, password);
		this.throttle.registration(address).ifPresent((wait) -> {
			throw ApiProblem.tooManyRequests("Too many registrations from this address; try again later", wait);
		});
		create(username, password, EnumSet.of(Role.USER));
	}

	void create(String username, String password, Set<Role> roles) {
		checkPassword(username, password);
		if ("system".equals(AccountRepository.key(username))) {
			throw new ApiProblem(HttpStatus.CONFLICT, "Username '" + username + "' is reserved");
		}
		if (!this.accounts.create(username, Objects.requireNonNull(this.passwordEncoder.encode(password)), roles)) {
			throw new ApiProblem(HttpStatus.CONFLICT, "Username '" + username + "' is taken");
		}
	}

	IssuedToken login(String username, String password, String address) {
		String key = AccountRepository.key(username);
		this.throttle.attempt(key, address).ifPresent((wait) -> {
			throw ApiProblem.tooManyRequests("Too many failed logins; try again later", wait);
		});
		Account account = this.accounts.find(username).orElse(null);
		String hash = (account != null) ? account.passwordHash() : this.unknownUserHash;
		boolean matches = this.passwordEncoder.matches(password, hash);
		if (account == null || !matches) {
			throw new ApiProblem(HttpStatus.UNAUTHORIZED, "Invalid username or password");
		}
		this.throttle.succeeded(key, address);
		return this.tokens.issue(account.username(), account.roles());
	}

	private void checkPassword(String username, String password) {
		if (password.length() < this.properties.minPasswordLength()) {
			throw new ApiProblem(HttpStatus.BAD_REQUEST,
					"Password must be at least " + this.properties.minPasswordLength() + " characters");
		}
		if (password.toLowerCase(Locale.ROOT).contains(username.toLowerCase(Locale.ROOT))) {
			throw new ApiProblem(HttpStatus.BAD_REQUEST, "Password must not contain the username");
		}
		if (password.chars().distinct().count() < 4) {
			throw new ApiProblem(HttpStatus.BAD_REQUEST, "Password is too simple: use at least 4 different characters");
		}
	}

}
