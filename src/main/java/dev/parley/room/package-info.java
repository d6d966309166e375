/**
 * Rooms: joining, leaving, sending, typing indicators and the user list of each room.
 */
@NullMarked
package dev.parley.room;

import org.jspecify.annotations.NullMarked;
