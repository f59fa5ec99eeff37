package dev.virgo.runtime.origin;

import dev.virgo.api.VirgoException;
import dev.virgo.api.heap.SharedHeap;
import dev.virgo.api.heap.SharedMemory;
import dev.virgo.api.heap.SharedMemoryException;
import dev.virgo.runtime.config.VirgoConfiguration;
import dev.virgo.runtime.heap.HeapContext;
import dev.virgo.runtime.heap.HeapFactory;
import dev.virgo.runtime.heap.OriginHeap;
import dev.virgo.runtime.log.VirgoLog;
import dev.virgo.runtime.transport.AeronTransport;
import dev.virgo.runtime.wire.HeapEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.NanoClock;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The origin's membership of the shared heap: opens it on the first {@link SharedHeap#memory()} with the nodes that
 * are ready then, carries its control messages to and from the nodes, and closes it with the origin.
 *
 * <p>The origin's state it depends on (whether the transport is still starting or the origin closing, the transport
 * itself, set once it started) is read through suppliers at call time, as the origin's own fields would be.
 */
final class OriginHeapMembership
{
    private static final long HEAP_SEND_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final VirgoConfiguration configuration;
    private final long originId;
    private final List<NodeConnection> nodes;
    private final NanoClock clock;
    private final BooleanSupplier opening;
    private final BooleanSupplier closed;
    private final Supplier<AeronTransport> transport;
    private final Supplier<String> describeNodes;
    private final Object heapLock = new Object();
    /** Set once the heap is opened (the first SharedHeap.memory() here); read by the conductor to route HEAP. */
    private volatile OriginHeap heap;

    OriginHeapMembership(
        final VirgoConfiguration configuration,
        final long originId,
        final List<NodeConnection> nodes,
        final NanoClock clock,
        final BooleanSupplier opening,
        final BooleanSupplier closed,
        final Supplier<AeronTransport> transport,
        final Supplier<String> describeNodes)
    {
        this.configuration = configuration;
        this.originId = originId;
        this.nodes = nodes;
        this.clock = clock;
        this.opening = opening;
        this.closed = closed;
        this.transport = transport;
        this.describeNodes = describeNodes;
    }

    /**
     * {@link SharedHeap#memory()} at the origin. The first call opens the heap: it waits (up to
     * {@code nodeReadyTimeoutMs}) for the nodes that are starting, and makes the origin member 0 and every ready node
     * a member. A node that becomes ready later is not a member (its threads get a clear error if they use the heap).
     */
    SharedMemory sharedMemory()
    {
        OriginHeap current = heap;
        if (null == current)
        {
            synchronized (heapLock)
            {
                if (closed.getAsBoolean())
                {
                    throw new SharedMemoryException("the origin is shutting down: no shared heap");
                }
                if (null == heap)
                {
                    openHeap();
                }
                current = heap;
            }
        }
        return current.memory();
    }

    private void openHeap()
    {
        final int[] members = nodesForHeap();
        final boolean embedded = configuration.nodes().isEmpty();
        final OriginHeap created = HeapFactory.load().newOriginHeap(
            new HeapContext(transport.get(), embedded ? "aeron:ipc" : "aeron:udp?endpoint=127.0.0.1:0",
                OriginRuntime.HEAP_STREAM_ID,
                configuration.heapPageBytes(), configuration.heapTimeoutMs(), configuration.idle(),
                configuration.heapMaxCachedPages()),
            this::sendHeapControl);
        heap = created; // before join: the nodes' answers arrive on the conductor while join waits
        try
        {
            final String[] names = new String[members.length];
            for (int i = 0; i < members.length; i++)
            {
                names[i] = nodes.get(members[i]).name();
            }
            created.join(members, names, configuration.heapTimeoutMs());
        }
        catch (final RuntimeException ex)
        {
            heap = null;
            created.close();
            throw ex;
        }
        VirgoLog.debug("shared heap open: origin and " + members.length + " node(s)");
    }

    /** Waits until no node is still starting; @return the indexes of the ready ones. */
    private int[] nodesForHeap()
    {
        final long deadlineNs = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(configuration.nodeReadyTimeoutMs());
        synchronized (nodes)
        {
            while (true)
            {
                boolean starting = opening.getAsBoolean();
                final List<Integer> ready = new ArrayList<>();
                for (int i = 0; i < nodes.size(); i++)
                {
                    final NodeConnection node = nodes.get(i);
                    if (node.isReady() && !node.isLost())
                    {
                        ready.add(i);
                    }
                    else if (!node.isLost())
                    {
                        starting = true;
                    }
                }
                final long leftNs = deadlineNs - clock.nanoTime();
                if (!starting || leftNs <= 0 || closed.getAsBoolean())
                {
                    if (starting)
                    {
                        VirgoLog.warn("the shared heap opens without the nodes not ready after " +
                            configuration.nodeReadyTimeoutMs() + " ms (" + describeNodes.get() + ")");
                    }
                    return ready.stream().mapToInt(Integer::intValue).toArray();
                }
                try
                {
                    TimeUnit.NANOSECONDS.timedWait(nodes, leftNs);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    throw new SharedMemoryException(
                        "interrupted while waiting for the nodes to open the shared heap");
                }
            }
        }
    }

    private void sendHeapControl(final int nodeIndex, final DirectBuffer buffer, final int offset, final int length)
    {
        final NodeConnection node = nodes.get(nodeIndex);
        final ExpandableArrayBuffer message = new ExpandableArrayBuffer(length + 64);
        final HeapEncoder encoder = new HeapEncoder();
        encoder.wrap(message, 0).originId(originId).threadId(nodeIndex).payload(buffer, offset, length);
        try
        {
            node.outbox().send(message, 0, encoder.encodedLength(), HEAP_SEND_TIMEOUT_NS);
        }
        catch (final VirgoException ex)
        {
            VirgoLog.debug("heap control to " + node.name() + ": " + ex.getMessage());
        }
    }

    /** On the conductor: a HEAP message from a node. */
    void onHeapControl(final int nodeIndex, final DirectBuffer buffer, final int offset, final int length)
    {
        final OriginHeap current = heap;
        if (null != current)
        {
            current.onControl(nodeIndex, buffer, offset, length);
        }
    }

    /** On the conductor: a node was lost; its heap member is gone with it. */
    void heapNodeLost(final int nodeIndex)
    {
        final OriginHeap current = heap;
        if (null != current)
        {
            current.nodeLost(nodeIndex);
        }
    }

    /** With the origin: closes the heap if it was opened. */
    void close()
    {
        final OriginHeap current = heap;
        if (null != current)
        {
            current.close();
        }
    }
}
