/**
 * What one client may do, with its properties ({@code parley.limits.*}): text length, the
 * SEND, frame and REST write rates, subscriptions and replays per session. Security puts
 * the frame limits on the inbound channel, and enforces the sessions per user and the
 * time to CONNECT from these properties; the frame size is the messaging module's
 * ({@code parley.websocket.*}).
 */
@ApplicationModule(displayName = "Limits", allowedDependencies = { "api", "protocol", "replies" })
@NullMarked
package dev.parley.limits;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
