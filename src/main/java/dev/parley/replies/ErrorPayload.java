package dev.parley.replies;

import org.jspecify.annotations.Nullable;

/**
 * What {@code /user/queue/errors} carries.
 *
 * @param error a stable code (docs/protocol.md, "Errors"): {@code validation},
 * {@code bad-request}, {@code forbidden}, {@code unauthorized}, {@code not-joined},
 * {@code sender-mismatch}, {@code rate-limited}, {@code too-many-subscriptions},
 * {@code subscription-ended}, {@code unsupported}, {@code storage-unavailable},
 * {@code storage-busy}, {@code client-message-id-reused}, {@code replay-truncated},
 * {@code replay-failed}, {@code internal}
 * @param message what went wrong, for a person
 * @param destination where the refused frame was sent
 * @param receiptId the refused frame's {@code receipt} header, when it had one
 */
public record ErrorPayload(String error, String message, @Nullable String destination, @Nullable String receiptId) {
}
