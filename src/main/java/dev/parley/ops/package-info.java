/**
 * Running Parley: the graceful drain on shutdown, metrics, and the {@code parley} actuator endpoint.
 */
@NullMarked
package dev.parley.ops;

import org.jspecify.annotations.NullMarked;
