/**
 * Who is online: presence changes on /topic/presence and GET /api/presence.
 */
@NullMarked
package dev.parley.presence;

import org.jspecify.annotations.NullMarked;
