-- The nodes of a relay-mode cluster and what each one holds (parley.broker.mode=relay; redis mode keeps the same in
-- Redis). Every node writes its heartbeat into cluster_node; cluster_share is each node's share (the users it has
-- online, the rooms its users are in, its sessions); cluster_count sums the shares, so that a count going from 0 to 1
-- or from 1 to 0 is seen by exactly one node. A node silent for parley.cluster.node-timeout has its share taken out by
-- another. Unused, and empty, in the other modes.
create table cluster_node (
    node_id varchar(64) not null primary key,
    beat    bigint      not null
);

create table cluster_share (
    node_id varchar(64)  not null,
    kind    varchar(16)  not null,
    item    varchar(200) not null,
    primary key (node_id, kind, item)
);

create table cluster_count (
    tally varchar(100) not null,
    name  varchar(100) not null,
    total bigint       not null,
    primary key (tally, name)
);
