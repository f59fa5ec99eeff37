/**
 * Ordinary multithreaded programs, written as if Virgo did not exist, that check their own results. Run them with
 * {@code -javaagent:virgo.jar=offload=dev.virgo.examples.*} to see their threads move.
 */
package dev.virgo.examples;
