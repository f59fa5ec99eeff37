/**
 * The distributed shared heap: one address space over all members in pages, where readers replicate a page and a
 * writer first invalidates every other copy (single writer, many readers, as Popcorn Linux does in its kernel).
 */
package dev.virgo.dsm;
