package dev.parley.account;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Positive;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Accounts: who may register, how passwords are judged and the first admin. How login
 * failures and registrations are throttled ({@code parley.accounts.login-throttle.*},
 * {@code parley.accounts.registration-throttle.*}) is bound by the security module, which
 * enforces it.
 *
 * @param registrationOpen whether anyone may register at {@code POST /api/auth/register};
 * when false, it answers 403
 * @param minPasswordLength the shortest password accepted
 * @param admin the first admin account, created at start-up when both its fields are set
 * and it does not exist
 */
@Validated
@ConfigurationProperties("parley.accounts")
record AccountProperties(@DefaultValue("true") boolean registrationOpen,
		@DefaultValue("8") @Positive int minPasswordLength, @DefaultValue Admin admin) {

	/**
	 * The first admin account: when both are set, an account with roles {@code USER} and
	 * {@code ADMIN} is created at start-up if none of that name exists.
	 *
	 * @param username the admin account's username
	 * @param password its password; set it from the environment or a secret store, it is
	 * never logged
	 */
	record Admin(@Nullable String username, @Nullable String password) {

		@Override
		public String toString() {
			return "Admin[username=" + this.username + ", password=[PROTECTED]]";
		}

	}

}
