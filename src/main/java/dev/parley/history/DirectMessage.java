package dev.parley.history;

import java.time.Instant;

/**
 * A stored private message, as {@code /user/queue/private} carries it.
 *
 * @param seq increases with every private message stored, across all users
 */
public record DirectMessage(String id, String sender, String recipient, String text, Instant timestamp, long seq) {
}
