package dev.parley.account;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Accounts: who may register, how passwords are judged, the first admin and how login failures are throttled.
 *
 * @param registrationOpen whether anyone may register; when closed, only the configured admin exists
 * @param minPasswordLength the shortest password accepted
 * @param admin the first admin account, created at start-up when both its fields are set and it does not exist
 * @param loginThrottle how many failed logins are allowed, per username and per client address, in a window
 * @param registrationThrottle how many registrations one client address may make in a window
 */
@ConfigurationProperties("parley.accounts")
record AccountProperties(@DefaultValue("true") boolean registrationOpen, @DefaultValue("8") int minPasswordLength,
		@DefaultValue Admin admin, @DefaultValue LoginThrottle loginThrottle,
		@DefaultValue RegistrationThrottle registrationThrottle) {

	record Admin(@Nullable String username, @Nullable String password) {

		@Override
		public String toString() {
			return "Admin[username=" + this.username + ", password=[PROTECTED]]";
		}

	}

	record LoginThrottle(@DefaultValue("5") int perUsername, @DefaultValue("20") int perAddress,
			@DefaultValue("15m") Duration window) {
	}

	record RegistrationThrottle(@DefaultValue("20") int perAddress, @DefaultValue("1h") Duration window) {
	}

}
