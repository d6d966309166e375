package dev.parley.security;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Positive;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How attempts at credentials are throttled: logins (a user's password, a service's
 * secret) and registrations. Under {@code parley.accounts}, beside the account settings,
 * where users look for them.
 *
 * @param loginThrottle how many failed logins are allowed, per username (or service
 * client id) and per client address, in a window
 * @param registrationThrottle how many registrations one client address may make in a
 * window
 */
@Validated
@ConfigurationProperties("parley.accounts")
record ThrottleProperties(@DefaultValue @Valid LoginThrottle loginThrottle,
		@DefaultValue @Valid RegistrationThrottle registrationThrottle) {

	/**
	 * Failed logins: passwords at {@code POST /api/auth/login}, service secrets at
	 * {@code POST /api/auth/service-token}.
	 *
	 * @param perUsername failed logins allowed per username (or service client id) in the
	 * window; then 429 with {@code Retry-After}
	 * @param perAddress failed logins allowed per client address in the window
	 * @param window the window the failed logins are counted in
	 */
	record LoginThrottle(@DefaultValue("5") @Positive int perUsername, @DefaultValue("20") @Positive int perAddress,
			@DefaultValue("15m") @DurationMin(millis = 0) Duration window) {
	}

	/**
	 * Registrations at {@code POST /api/auth/register}, each of which costs a password
	 * hash.
	 *
	 * @param perAddress registrations one client address may make in the window; then 429
	 * with {@code Retry-After}
	 * @param window the window the registrations are counted in
	 */
	record RegistrationThrottle(@DefaultValue("20") @Positive int perAddress,
			@DefaultValue("1h") @DurationMin(millis = 0) Duration window) {
	}

}
