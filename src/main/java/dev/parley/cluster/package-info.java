/**
 * Several nodes as one Parley ({@code parley.broker.mode=redis}): a bridge over Redis
 * pub/sub carries broadcasts and user messages between the nodes' in-memory brokers, and
 * Redis holds who is online, who is in which room and how many sessions each user has,
 * with each node's share, so that a node that dies is taken out by the others.
 */
@ApplicationModule(displayName = "Cluster",
		allowedDependencies = { "history", "limits", "messaging", "presence", "protocol", "room" })
@NullMarked
package dev.parley.cluster;

import org.jspecify.annotations.NullMarked;

import org.springframework.modulith.ApplicationModule;
