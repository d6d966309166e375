-- Stored messages. Room messages are numbered per room by room_sequence, inside the storing transaction: the row
-- lock orders writers from every node, and a rolled-back transaction gives its numbers back, so seq has no gaps.
-- Private messages share one counter, under the key '@direct' (no room name can contain '@').
create table room_sequence (
    room     varchar(64) primary key,
    last_seq bigint      not null
);

create table room_message (
    room              varchar(64)     not null,
    seq               bigint          not null,
    id                varchar(36)     not null,
    type              varchar(8)      not null,
    sender            varchar(64)     not null,
    content           varchar(100000) not null,
    client_message_id varchar(128),
    created_at        timestamp with time zone not null,
    constraint pk_room_message primary key (room, seq),
    constraint uk_room_message_id unique (id)
);

-- A repeated clientMessageId from the same sender is stored once (NULLs are distinct).
create unique index uk_room_message_client on room_message (sender, client_message_id);

create table direct_message (
    seq               bigint          primary key,
    id                varchar(36)     not null,
    sender            varchar(64)     not null,
    recipient         varchar(64)     not null,
    text              varchar(100000) not null,
    client_message_id varchar(128),
    created_at        timestamp with time zone not null,
    constraint uk_direct_message_id unique (id)
);

create unique index uk_direct_message_client on direct_message (sender, client_message_id);
create index ix_direct_message_recipient on direct_message (recipient, seq);
create index ix_direct_message_sender on direct_message (sender, seq);
