package dev.virgo.runtime.heap;

import dev.virgo.api.heap.SharedMemoryException;

import java.util.ServiceLoader;

/**
 * Makes heap members; implemented by the shared heap ({@code dev.virgo.dsm.cluster.DsmHeapFactory}) and found with
 * {@link ServiceLoader}, because the heap's implementation depends on the runtime (for its transport), not the
 * reverse.
 */
public interface HeapFactory
{
    /** @return member 0: the origin's own. */
    OriginHeap newOriginHeap(HeapContext context, ControlSender toNodes);

    /** @return this node's member of the heap of one origin, not yet joined. */
    NodeHeap newNodeHeap(HeapContext context, ControlSender toOrigin);

    /** Sends a control payload to a node (by its index at the origin), or, from a node, to its origin (index ignored). */
    @FunctionalInterface
    interface ControlSender
    {
        void send(int nodeIndex, org.agrona.DirectBuffer buffer, int offset, int length);
    }

    /** @return the factory in virgo.jar. */
    static HeapFactory load()
    {
        return ServiceLoader.load(HeapFactory.class, HeapFactory.class.getClassLoader()).findFirst()
            .orElseThrow(() -> new SharedMemoryException("no shared heap implementation on the class path (" +
                HeapFactory.class.getName() + "): virgo.jar is incomplete"));
    }
}
