/**
 * Private messages between two users.
 */
@NullMarked
package dev.parley.direct;

import org.jspecify.annotations.NullMarked;
