/** The messages of the shared heap's coherence protocol, and their layout. */
package dev.virgo.dsm.protocol;
