/**
 * Several nodes as one Parley. In {@code parley.broker.mode=redis} a bridge over Redis
 * pub/sub carries broadcasts and user messages between the nodes' in-memory brokers; in
 * {@code relay} mode RabbitMQ carries them (see the messaging module). In both, a shared
 * store (Redis, or in relay mode the database) holds who is online, who is in which room
 * and how many sessions each user has, with each node's share, so that a node that dies
 * is taken out by the others.
 */
@ApplicationModule(displayName = "Cluster",
		allowedDependencies = { "history", "limits", "messaging", "presence", "protocol", "room" })
@NullMarked
package dev.parley.cluster;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
