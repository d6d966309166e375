package dev.parley.security;

import java.time.Duration;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

import org.springframework.stereotype.Component;

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

	private final Cache<String, Bucket> byUsername;

	private final Cache<String, Bucket> byAddress;

	private final ThrottleProperties.RegistrationThrottle registrationSettings;

	private final Cache<String, Bucket> registrationsByAddress;

	LoginThrottle(ThrottleProperties properties) {
		this.settings = properties.loginThrottle();
		this.byUsername = cache(this.settings.window());
		this.byAddress = cache(this.settings.window());
		this.registrationSettings = properties.registrationThrottle();
		this.registrationsByAddress = cache(this.registrationSettings.window());
	}

	/**
	 * Takes one attempt for a name (a username key, or a service's client id) and an
	 * address.
	 * @return empty if the attempt may go on; else how long to wait
	 */
	public Optional<Duration> attempt(String nameKey, String address) {
		Bucket name = username(nameKey);
		if (!name.tryConsume(1)) {
			return Optional.of(Duration.ofNanos(waitNanos(name)));
		}
		Bucket from = address(address);
		if (!from.tryConsume(1)) {
			name.addTokens(1);
			return Optional.of(Duration.ofNanos(waitNanos(from)));
		}
		return Optional.empty();
	}

	/** The attempt succeeded: it does not count. */
	public void succeeded(String nameKey, String address) {
		username(nameKey).addTokens(1);
		address(address).addTokens(1);
	}

	/**
	 * Takes one registration for an address; empty if it may go on, else how long to
	 * wait.
	 */
	public Optional<Duration> registration(String address) {
		Bucket bucket = this.registrationsByAddress.get(address,
				(k) -> bucket(this.registrationSettings.perAddress(), this.registrationSettings.window()));
		return bucket.tryConsume(1) ? Optional.empty() : Optional.of(Duration.ofNanos(waitNanos(bucket)));
	}

	private Bucket username(String key) {
		return this.byUsername.get(key, (k) -> bucket(this.settings.perUsername(), this.settings.window()));
	}

	private Bucket address(String address) {
		return this.byAddress.get(address, (k) -> bucket(this.settings.perAddress(), this.settings.window()));
	}

	private static Bucket bucket(int attempts, Duration window) {
		return Bucket.builder()
			.addLimit(Bandwidth.builder().capacity(attempts).refillIntervally(attempts, window).build())
			.build();
	}

	private static long waitNanos(Bucket bucket) {
		return Math.max(1, bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill());
	}

	private static Cache<String, Bucket> cache(Duration window) {
		return Caffeine.newBuilder().expireAfterAccess(window).maximumSize(100_000).build();
	}

}
