/**
 * Accounts held by Parley: registration, login (which issues tokens) and the first admin.
 */
@ApplicationModule(displayName = "Accounts", allowedDependencies = { "api", "security" })
@NullMarked
package dev.parley.account;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
