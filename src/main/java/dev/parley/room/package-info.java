/**
 * Rooms: joining, leaving, sending, typing indicators, the user list of each room,
 * private rooms and their members, room history and posts over REST.
 */
@ApplicationModule(displayName = "Rooms",
		allowedDependencies = { "api", "history", "limits", "messaging", "protocol", "replies", "security" })
@NullMarked
package dev.parley.room;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
