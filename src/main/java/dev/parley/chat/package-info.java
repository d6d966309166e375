/**
 * Global chat on /topic/messages.
 */
@NullMarked
package dev.parley.chat;

import org.jspecify.annotations.NullMarked;
