-- Rooms created over REST. A room nobody created is public and exists while it is used; a private room admits its
-- members only.
create table room (
    name       varchar(64) primary key,
    private    boolean     not null,
    created_by varchar(64) not null,
    created_at timestamp with time zone not null
);

create table room_member (
    room     varchar(64) not null references room (name) on delete cascade,
    username varchar(64) not null,
    primary key (room, username)
);
