package dev.parley.ops;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The graceful drain on shutdown.
 *
 * @param window how long closing every session may take; sessions are closed in batches spread over it
 * @param batches how many batches
 */
@ConfigurationProperties("parley.drain")
record DrainProperties(@DefaultValue("10s") Duration window, @DefaultValue("10") int batches) {
}
