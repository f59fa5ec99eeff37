/**
 * The implementation of the shared heap ({@link dev.virgo.api.heap}): members, their page caches and home
 * directories, the coherence protocol over Aeron, and how the origin and its nodes become members of one heap.
 */
package dev.virgo.dsm;
