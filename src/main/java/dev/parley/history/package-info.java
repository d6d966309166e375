/**
 * What was said: storing room and private messages (group commit, sequence numbers from
 * the database), receipts after commit, replay on subscribe with {@code since-seq}, and
 * storage health.
 */
@ApplicationModule(displayName = "History", allowedDependencies = { "messaging", "protocol", "replies" })
@NullMarked
package dev.parley.history;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
