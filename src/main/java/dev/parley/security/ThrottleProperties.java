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

	record LoginThrottle(@DefaultValue("5") @Positive int perUsername, @DefaultValue("20") @Positive int perAddress,
			@DefaultValue("15m") @DurationMin(millis = 0) Duration window) {
	}

	record RegistrationThrottle(@DefaultValue("20") @Positive int perAddress,
			@DefaultValue("1h") @DurationMin(millis = 0) Duration window) {
	}

}
