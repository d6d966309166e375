/**
 * Who is online: presence changes on /topic/presence and GET /api/presence.
 */
@ApplicationModule(displayName = "Presence", allowedDependencies = { "messaging", "protocol" })
@NullMarked
package dev.parley.presence;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
