/**
 * The shared heap as an application sees it: memory pooled across the JVMs of a Virgo cluster, in pages, where
 * readers replicate a page and a writer first invalidates every other copy (single writer, many readers, as Popcorn
 * Linux does in its kernel).
 *
 * <p>{@link dev.virgo.api.heap.SharedHeap#memory()} is this JVM's {@link dev.virgo.api.heap.SharedMemory}: at the
 * origin and in every thread Virgo moved. Typed array views ({@code SharedLongArray} and its kin) are an address and a
 * length over it; synchronizers are in {@link dev.virgo.api.heap.sync}. When a moved thread's object graph holds a
 * view or a synchronizer, it travels as a reference (its address), not a copy: the thread on the node and the threads
 * at the origin use one array, one lock.
 *
 * <p>These classes depend on nothing but the JDK, so an application compiles against {@code virgo-api} alone; the
 * implementation (the coherence protocol over Aeron) is in {@code virgo.jar} and is installed by the agent.
 */
package dev.virgo.api.heap;
