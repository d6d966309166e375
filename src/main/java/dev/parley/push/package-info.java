/**
 * The REST API for backend services: service tokens, notifications to users, announcements and room messages.
 */
@NullMarked
package dev.parley.push;

import org.jspecify.annotations.NullMarked;
