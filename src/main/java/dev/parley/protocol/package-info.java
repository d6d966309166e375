/**
 * The vocabulary of the wire protocol: destination names, header names and name forms,
 * shared by every module.
 */
@ApplicationModule(displayName = "Protocol", allowedDependencies = {})
@NullMarked
package dev.parley.protocol;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
