package dev.parley.security;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How access tokens are verified.
 *
 * @param secret the HS256 shared secret, at least 256 bits (32 bytes of UTF-8); when absent, a random one is
 * generated on first start and kept in {@code secretFile}
 * @param secretFile where the generated secret is kept, readable by its owner only
 * @param issuer the required {@code iss} claim, when set
 * @param audience the required {@code aud} claim, when set
 * @param clockSkew how far {@code exp} and {@code nbf} may be off
 */
@ConfigurationProperties("parley.security.jwt")
public record JwtProperties(@Nullable String secret, @DefaultValue("./data/jwt-secret") Path secretFile,
		@Nullable String issuer, @Nullable String audience, @DefaultValue("30s") Duration clockSkew) {
}
