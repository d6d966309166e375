/**
 * What every REST endpoint shares: RFC 9457 problem details for errors, and the OpenAPI
 * description.
 */
@ApplicationModule(displayName = "REST API conventions", allowedDependencies = {})
@NullMarked
package dev.parley.api;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
