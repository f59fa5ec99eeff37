package dev.virgo.runtime.heap;

import dev.virgo.api.heap.SharedMemory;
import org.agrona.DirectBuffer;

/** The origin's member of its heap (member 0), and the one that decides who else is a member. */
public interface OriginHeap extends AutoCloseable
{
    /**
     * Makes these nodes members (node index i becomes member i + 1) and waits until every member can reach every
     * other one.
     *
     * @param nodeNames what to call each of those nodes in errors, in the same order.
     * @throws dev.virgo.api.heap.SharedMemoryException naming the nodes that did not join within {@code timeoutMs}.
     */
    void join(int[] nodeIndexes, String[] nodeNames, long timeoutMs);

    /** @return member 0's memory; valid once {@link #join} returned. */
    SharedMemory memory();

    /** On the origin's conductor: a HEAP payload from a node. Must not block. */
    void onControl(int nodeIndex, DirectBuffer buffer, int offset, int length);

    /** On the origin's conductor: the node is gone; its pages are gone with it, and the others are told. */
    void nodeLost(int nodeIndex);

    @Override
    void close();
}
