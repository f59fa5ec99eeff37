/**
 * The origin: decides which threads move, snapshots them, places them on nodes, answers for them while they run,
 * and writes back what they changed when they end.
 */
package dev.virgo.runtime.origin;
