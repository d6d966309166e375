/**
 * STOMP endpoint and broker configuration, frame-level error handling and the errors sent to /user/queue/errors.
 */
@NullMarked
package dev.parley.messaging;

import org.jspecify.annotations.NullMarked;
