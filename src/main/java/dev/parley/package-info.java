/**
 * Parley: a STOMP over WebSocket chat server. One package per feature; see each package's
 * own description.
 */
@NullMarked
package dev.parley;

import org.jspecify.annotations.NullMarked;
