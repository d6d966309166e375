/**
 * Running Parley: the graceful drain on shutdown, metrics, and the {@code parley}
 * actuator endpoint.
 */
@ApplicationModule(displayName = "Operations", allowedDependencies = { "messaging", "protocol", "replies" })
@NullMarked
package dev.parley.ops;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
