package dev.parley.replies;

import java.util.concurrent.CompletableFuture;

/**
 * What a {@code @MessageMapping} method returns when it stores the message it was sent:
 * the frame's {@code RECEIPT} then comes after the commit (or its error, with the
 * {@code receiptId}, when the message could not be stored), not when the method returns.
 * Declaring it by the return type keeps the rule beside the handler:
 * {@link StoredReplies} answers it, and {@link ReceiptInterceptor} leaves the frame's
 * receipt alone.
 *
 * @param stored completes once the message is committed, or with the reason it could not
 * be
 */
public record StoredReply(CompletableFuture<?> stored) {
}
