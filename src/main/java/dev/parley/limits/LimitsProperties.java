package dev.parley.limits;

import java.time.Duration;

import jakarta.validation.constraints.Positive;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What one client may do, so that no client can starve the others.
 *
 * @param maxTextLength the longest message text or content, in characters
 * @param sendRate sustained {@code SEND} frames per second per session
 * @param sendBurst {@code SEND} frames a session may send at once before the rate applies
 * @param sendViolations refused frames in a row (of either rate limit) after which the
 * session is closed
 * @param frameRate sustained inbound frames of any kind per second per session
 * @param frameBurst inbound frames a session may send at once before the frame rate
 * applies
 * @param maxSubscriptions subscriptions one session may hold at once
 * @param maxSessionsPerUser sessions one user may have open at once, on this node
 * @param connectTimeout how long a new socket may stay open without a {@code CONNECT}
 * @param readRate sustained REST history reads per second per user
 * @param readBurst REST history reads a user may make at once before the read rate
 * applies
 */
@Validated
@ConfigurationProperties("parley.limits")
public record LimitsProperties(@DefaultValue("4000") @Positive int maxTextLength,
		@DefaultValue("10") @Positive int sendRate, @DefaultValue("20") @Positive int sendBurst,
		@DefaultValue("50") @Positive int sendViolations, @DefaultValue("50") @Positive int maxSubscriptions,
		@DefaultValue("10") @Positive int maxSessionsPerUser,
		@DefaultValue("10s") @DurationMin(millis = 1) Duration connectTimeout,
		@DefaultValue("50") @Positive int frameRate, @DefaultValue("200") @Positive int frameBurst,
		@DefaultValue("5") @Positive int readRate, @DefaultValue("30") @Positive int readBurst) {
}
