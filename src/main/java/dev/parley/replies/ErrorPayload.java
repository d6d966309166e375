package dev.parley.replies;

import org.jspecify.annotations.Nullable;

/**
 * What {@code /user/queue/errors} carries.
 *
 * @param error a stable code: {@code validation}, {@code bad-request}, {@code forbidden},
 * {@code not-joined}, {@code sender-mismatch}, {@code internal}
 * @param message what went wrong, for a person
 * @param destination where the refused frame was sent
 * @param receiptId the refused frame's {@code receipt} header, when it had one
 */
public record ErrorPayload(String error, String message, @Nullable String destination, @Nullable String receiptId) {
}
