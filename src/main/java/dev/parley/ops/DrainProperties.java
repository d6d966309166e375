package dev.parley.ops;

import java.time.Duration;

import jakarta.validation.constraints.Positive;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The graceful drain on shutdown.
 *
 * @param window how long closing every session may take; sessions are closed in batches
 * spread over it
 * @param batches how many batches
 */
@Validated
@ConfigurationProperties("parley.drain")
record DrainProperties(@DefaultValue("10s") @DurationMin(millis = 0) Duration window,
		@DefaultValue("10") @Positive int batches) {
}
