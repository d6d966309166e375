/**
 * Every limit a client is held to, with its properties ({@code parley.limits.*}): message
 * size and text, SEND, frame and REST write rates, subscriptions and replays per session.
 * Security puts the frame limits on the inbound channel.
 */
@ApplicationModule(displayName = "Limits", allowedDependencies = { "api", "protocol", "replies" })
@NullMarked
package dev.parley.limits;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
