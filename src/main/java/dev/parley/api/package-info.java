/**
 * What every REST endpoint shares: RFC 9457 problem details for errors.
 */
@NullMarked
package dev.parley.api;

import org.jspecify.annotations.NullMarked;
