package dev.parley.account;

import java.time.Duration;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

import org.springframework.stereotype.Component;

/**
 * Limits failed logins per username and per client address with token buckets (Bucket4j): each failure takes a
 * token, and a caller with none left is refused before the password is even checked, until the window refills
 * the bucket. Buckets live in a bounded, expiring cache, so a flood of made-up names cannot exhaust memory.
 */
@Component
class LoginThrottle {

	private final AccountProperties.LoginThrottle settings;

	private final Cache<String, Bucket> byUsername;

	private final Cache<String, Bucket> byAddress;

	LoginThrottle(AccountProperties properties) {
		this.settings = properties.loginThrottle();
		this.byUsername = cache(this.settings.window());
		this.byAddress = cache(this.settings.window());
	}

	/** @return how long to wait, when the username or the address has no attempts left */
	Optional<Duration> lockedFor(String usernameKey, String address) {
		long wait = Math.max(waitNanos(username(usernameKey)), waitNanos(address(address)));
		return (wait > 0) ? Optional.of(Duration.ofNanos(wait)) : Optional.empty();
	}

	void failed(String usernameKey, String address) {
		username(usernameKey).tryConsume(1);
		address(address).tryConsume(1);
	}

	private Bucket username(String key) {
		return this.byUsername.get(key, (k) -> bucket(this.settings.perUsername()));
	}

	private Bucket address(String address) {
		return this.byAddress.get(address, (k) -> bucket(this.settings.perAddress()));
	}

	private Bucket bucket(int attempts) {
		return Bucket.builder()
			.addLimit(Bandwidth.builder().capacity(attempts).refillIntervally(attempts, this.settings.window()).build())
			.build();
	}

	private static long waitNanos(Bucket bucket) {
		return (bucket.getAvailableTokens() > 0) ? 0 : bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
	}

	private static Cache<String, Bucket> cache(Duration window) {
		return Caffeine.newBuilder().expireAfterAccess(window).maximumSize(100_000).build();
	}

}
