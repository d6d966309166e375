package dev.parley.security;

import java.nio.file.Path;
import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How access tokens are verified and issued.
 *
 * @param secret the HS256 shared secret, at least 256 bits (32 bytes of UTF-8); when
 * absent, a random one is generated on first start and kept in {@code secret-file}.
 * Parley signs the tokens it issues with it.
 * @param secretFile where the generated secret is kept, readable by its owner only
 * @param publicKey an identity provider's RSA or EC (P-256) public key, PEM; tokens
 * signed RS256 or ES256 with it are accepted too
 * @param publicKeyFile the same, read from a file
 * @param issuer the required {@code iss} claim, when set; also put in the tokens Parley
 * issues
 * @param audience the required {@code aud} claim, when set; also put in the tokens Parley
 * issues
 * @param clockSkew how far {@code exp} and {@code nbf} may be off
 * @param tokenLifetime how long the tokens Parley issues (at login, and to backend
 * services) are valid
 */
@Validated
@ConfigurationProperties("parley.security.jwt")
public record JwtProperties(@Nullable String secret, @DefaultValue("./data/jwt-secret") Path secretFile,
		@Nullable String publicKey, @Nullable Path publicKeyFile, @Nullable String issuer, @Nullable String audience,
		@DefaultValue("30s") @DurationMin(millis = 0) Duration clockSkew,
		@DefaultValue("1h") @DurationMin(millis = 1) Duration tokenLifetime) {
}
