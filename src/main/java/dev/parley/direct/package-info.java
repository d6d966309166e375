/**
 * Private messages between two users, and their history over REST.
 */
@ApplicationModule(displayName = "Private messages",
		allowedDependencies = { "api", "history", "limits", "messaging", "protocol", "replies" })
@NullMarked
package dev.parley.direct;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
