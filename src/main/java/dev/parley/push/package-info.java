/**
 * The REST API for backend services: notifications to users, announcements and room
 * messages.
 */
@ApplicationModule(displayName = "Push API", allowedDependencies = { "api", "limits", "messaging", "protocol" })
@NullMarked
package dev.parley.push;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
