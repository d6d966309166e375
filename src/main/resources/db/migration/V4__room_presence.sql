-- Who is in which room, kept across a restart: after one, the users who were in a room still count as in it for
-- parley.rooms.restart-grace, so their reconnect is not announced as a JOIN (and their absence, at the end of it,
-- as a LEAVE).
create table room_presence (
    room     varchar(64) not null,
    username varchar(64) not null,
    primary key (room, username)
);
