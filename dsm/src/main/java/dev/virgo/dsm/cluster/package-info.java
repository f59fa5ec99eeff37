/**
 * How the origin and its nodes become members of one shared heap: the origin is member 0 and decides the
 * membership (node index i is member i + 1); the join runs over the runtime's own origin-node channels as HEAP
 * control messages ({@link dev.virgo.dsm.cluster.HeapControl}), which also carry each member's share of the heap's
 * link keys (made by the origin, fresh per heap); a node that is lost leaves the heap and every other member is told.
 */
package dev.virgo.dsm.cluster;
