package dev.virgo.runtime.heap;

import dev.virgo.api.heap.SharedMemory;
import org.agrona.DirectBuffer;

/** A node's member of the heap of one origin: made on the origin's first HEAP message, closed with the session. */
public interface NodeHeap extends AutoCloseable
{
    /** On the node's conductor: a HEAP payload from the origin. Must not block. */
    void onControl(DirectBuffer buffer, int offset, int length);

    /**
     * @return this node's member's memory.
     * @throws dev.virgo.api.heap.SharedMemoryException when this node has not (yet) joined the origin's heap.
     */
    SharedMemory memory();

    @Override
    void close();
}
