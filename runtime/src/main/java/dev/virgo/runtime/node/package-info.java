/**
 * The node: takes moved threads from origins and runs them on pooled carrier threads, each in its own image of the
 * origin's classes loaded on demand, with its output routed back. Inside a moved thread the code sees the thread the
 * program started, not the carrier ({@link dev.virgo.runtime.node.MovedThreadCalls}), its origin's system properties
 * ({@link dev.virgo.runtime.node.RoutedProperties}), and an exit that ends the program at its origin, never the node;
 * its synchronization sites lead to {@link dev.virgo.runtime.sharing.SyncSites}
 * ({@link dev.virgo.runtime.node.SyncSiteRewriter}).
 */
package dev.virgo.runtime.node;
