/**
 * Global chat on /topic/messages.
 */
@ApplicationModule(displayName = "Global chat", allowedDependencies = { "limits", "messaging", "protocol" })
@NullMarked
package dev.parley.chat;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
