/**
 * Virgo's runtime: the origin side (which decides what moves and keeps the remote thread handles), the node
 * side (which runs moved threads), and what they share: configuration, transport, wire and snapshots.
 */
package dev.virgo.runtime;
