/**
 * How the runtime drives the shared heap without depending on its implementation: the origin and each node's session
 * with an origin hold a heap member ({@link dev.virgo.runtime.heap.OriginHeap}, {@link dev.virgo.runtime.heap.NodeHeap})
 * made by the {@link dev.virgo.runtime.heap.HeapFactory} found on the class path ({@code virgo-dsm}, inside virgo.jar).
 * The runtime carries the heap's control messages (HEAP) over its own origin-node channels and tells the heap when a
 * node is lost; it never reads them. {@link dev.virgo.runtime.heap.HeapReferences} makes heap objects in a moved
 * thread's graph travel as references.
 */
package dev.virgo.runtime.heap;
