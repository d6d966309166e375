/**
 * The STOMP endpoint and broker configuration, the in-memory broker's fan-out
 * (FanOutBroker), and the sessions: who is connected (Connections), the ordered
 * non-blocking outbound path (Outbox), idle and oversized sessions, and delivery to a
 * user's sessions.
 */
@ApplicationModule(displayName = "Messaging", allowedDependencies = { "protocol", "replies" })
@NullMarked
package dev.parley.messaging;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
