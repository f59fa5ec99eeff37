/**
 * What belongs to the JVM and the machine a thread runs on rather than to the program: which system properties
 * describe them (they stay each JVM's own when a thread moves), and the name that tells machines apart when an origin
 * counts the processors of its pool.
 */
package dev.virgo.runtime.machine;
