package dev.virgo.dsm.cluster;

import dev.virgo.runtime.heap.HeapContext;
import dev.virgo.runtime.heap.HeapFactory;
import dev.virgo.runtime.heap.NodeHeap;
import dev.virgo.runtime.heap.OriginHeap;

/** The shared heap, as the runtime finds it (META-INF/services). */
public final class DsmHeapFactory implements HeapFactory
{
    @Override
    public OriginHeap newOriginHeap(final HeapContext context, final ControlSender toNodes)
    {
        return new OriginHeapMember(context, toNodes);
    }

    @Override
    public NodeHeap newNodeHeap(final HeapContext context, final ControlSender toOrigin)
    {
        return new NodeHeapMember(context, toOrigin);
    }
}
