/**
 * Tokens (verification, issuing, refresh, service credentials and their throttle), the
 * handshake and CONNECT authentication, and HTTP and message authorization. Which rooms a
 * user may enter is asked of the room module through
 * {@link dev.parley.security.RoomAccess}.
 */
@ApplicationModule(displayName = "Security",
		allowedDependencies = { "api", "limits", "messaging", "protocol", "replies" })
@NullMarked
package dev.parley.security;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
