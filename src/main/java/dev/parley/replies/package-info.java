/**
 * What a client is told about its own frames: errors on /user/queue/errors and ERROR
 * frames, receipts (sent after the commit for stored messages), and the count of refused
 * frames by reason.
 */
@ApplicationModule(displayName = "Replies to clients", allowedDependencies = { "protocol" })
@NullMarked
package dev.parley.replies;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
