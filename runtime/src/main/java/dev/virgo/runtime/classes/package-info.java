/**
 * What Virgo knows about application classes: which are the application's, how their lambdas move, and where the
 * code a thread can run synchronizes with other threads ({@link dev.virgo.runtime.classes.SynchronizationScan}).
 */
package dev.virgo.runtime.classes;
