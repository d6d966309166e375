package dev.parley.security;

import java.time.Duration;
import java.util.Optional;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import dev.parley.limits.BucketSource;
import dev.parley.limits.SharedBuckets;

/**
 * Limits failed logins per username and per client address with token buckets (Bucket4j).
 * Each attempt takes a token from both before the password is checked, and a success
 * gives them back: so only failures count, and a burst of parallel guesses cannot all
 * slip past the check before the first failure is recorded. A caller with no tokens left
 * is refused without a password check (no hashing work for it either) until the window
 * refills the bucket. Buckets live in a bounded, expiring cache, so a flood of made-up
 * names cannot exhaust memory.
 * <p>
 * Also holds registrations to a number per address, as each one costs a password hash.
 */
@Component
public class LoginThrottle {

	private final ThrottleProperties.LoginThrottle settings;

	private final ThrottleProperties.RegistrationThrottle registrationSettings;

	private final BucketSource logins;

	private final BucketSource registrations;

	LoginThrottle(ThrottleProperties properties, ObjectProvider<SharedBuckets> shared) {
		this.settings = properties.loginThrottle();
		this.registrationSettings = properties.registrationThrottle();
		this.logins = new BucketSource("login", this.settings.window(), shared.getIfAvailable());
		this.registrations = new BucketSource("registration", this.registrationSettings.window(),
				shared.getIfAvailable());
	}

	/**
	 * Takes one attempt for a name (a username key, or a service's client id) and an
	 * address.
	 * @return empty if the attempt may go on; else how long to wait
	 */
	public Optional<Duration> attempt(String nameKey, String address) {
		return this.logins.use((buckets) -> {
			Bucket name = buckets.get("user:" + nameKey,
					configuration(this.settings.perUsername(), this.settings.window()));
			if (!name.tryConsume(1)) {
				return Optional.of(Duration.ofNanos(waitNanos(name)));
			}
			Bucket from = buckets.get("address:" + address,
					configuration(this.settings.perAddress(), this.settings.window()));
			if (!from.tryConsume(1)) {
				name.addTokens(1);
				return Optional.of(Duration.ofNanos(waitNanos(from)));
			}
			return Optional.empty();
		});
	}

	/** The attempt succeeded: it does not count. */
	public void succeeded(String nameKey, String address) {
		this.logins.use((buckets) -> {
			buckets.get("user:" + nameKey, configuration(this.settings.perUsername(), this.settings.window()))
				.addTokens(1);
			buckets.get("address:" + address, configuration(this.settings.perAddress(), this.settings.window()))
				.addTokens(1);
			return Boolean.TRUE;
		});
	}

	/**
	 * Takes one registration for an address; empty if it may go on, else how long to
	 * wait.
	 */
	public Optional<Duration> registration(String address) {
		return this.registrations.use((buckets) -> {
			Bucket bucket = buckets.get(address,
					configuration(this.registrationSettings.perAddress(), this.registrationSettings.window()));
			return bucket.tryConsume(1) ? Optional.<Duration>empty() : Optional.of(Duration.ofNanos(waitNanos(bucket)));
		});
	}

	private static BucketConfiguration configuration(int attempts, Duration window) {
		return BucketConfiguration.builder()
			.addLimit(Bandwidth.builder().capacity(attempts).refillIntervally(attempts, window).build())
			.build();
	}

	private static long waitNanos(Bucket bucket) {
		return Math.max(1, bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill());
	}

}
