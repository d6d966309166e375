package dev.parley.room;

/**
 * Fewer users may enter a room than before: it was created private, or a member was
 * removed from it. Whoever still reads or sits in the room without being allowed to must
 * be taken out: its subscriptions ended, its sessions removed from the room.
 *
 * @param room the room's name
 */
public record RoomAccessChanged(String room) {
}
