package dev.virgo.runtime.origin;

import dev.virgo.runtime.config.VirgoConfiguration;
import dev.virgo.runtime.machine.HostName;
import org.agrona.concurrent.NanoClock;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Where the origin's threads go: picks the node for a moved thread, wakes the starters waiting for a node when one
 * becomes ready or is lost, describes the nodes for a refusal, and counts the pool's processors.
 *
 * <p>Every wait is on the origin's list of nodes, which the conductor notifies through {@link #nodesChanged()}.
 * Whether the transport is still starting or the origin closing is read through suppliers at call time.
 */
final class NodePlacement
{
    private final VirgoConfiguration configuration;
    private final List<NodeConnection> nodes;
    private final NanoClock clock;
    private final BooleanSupplier opening;
    private final BooleanSupplier closed;
    private int nextNode;
    /** Set once a first {@link #availableProcessors()} has waited for the nodes that were starting. */
    private volatile boolean poolSettled;

    NodePlacement(
        final VirgoConfiguration configuration,
        final List<NodeConnection> nodes,
        final NanoClock clock,
        final BooleanSupplier opening,
        final BooleanSupplier closed)
    {
        this.configuration = configuration;
        this.nodes = nodes;
        this.clock = clock;
        this.opening = opening;
        this.closed = closed;
    }

    /** Least-loaded of this origin's own threads in flight, round-robin among equals; waits for the first node, and for local nodes still starting. */
    NodeConnection pickNode()
    {
        final long deadlineNs = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(configuration.nodeReadyTimeoutMs());
        synchronized (nodes)
        {
            while (true)
            {
                NodeConnection best = null;
                boolean localNodeStarting = false;
                final int count = nodes.size();
                for (int i = 0; i < count; i++)
                {
                    final NodeConnection candidate = nodes.get((nextNode + i) % count);
                    if (candidate.isReady() &&
                        (null == best || candidate.threadsInFlight() < best.threadsInFlight()))
                    {
                        best = candidate;
                    }
                    localNodeStarting |= null != candidate.process() && !candidate.isReady() && !candidate.isLost();
                }
                final long leftNs = deadlineNs - clock.nanoTime();
                // The first threads of a program would all land on whichever local node started first: wait the
                // moment it takes the others (they were launched together), so the work spreads from the start.
                if (null != best && (!localNodeStarting || leftNs <= 0 || closed.getAsBoolean()))
                {
                    nextNode = (nodes.indexOf(best) + 1) % count;
                    return best;
                }
                if (leftNs <= 0 || closed.getAsBoolean() || (!opening.getAsBoolean() && !anyNodeMayComeUp()))
                {
                    return null;
                }
                try
                {
                    TimeUnit.NANOSECONDS.timedWait(nodes, leftNs);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
    }

    private boolean anyNodeMayComeUp()
    {
        for (final NodeConnection node : nodes)
        {
            if (!node.isLost())
            {
                return true;
            }
        }
        return false;
    }

    /** Called by the conductor when a node became ready or was lost, so waiting starters look again. */
    void nodesChanged()
    {
        synchronized (nodes)
        {
            nodes.notifyAll();
        }
    }

    String describeNodes()
    {
        final StringBuilder text = new StringBuilder();
        for (final NodeConnection node : nodes)
        {
            text.append(text.length() == 0 ? "" : ", ").append(node.name())
                .append(node.isLost() ? " lost" : node.isReady() ? " ready" : " not answering");
        }
        return nodes.isEmpty() ? "none configured (localNodes=0 and no nodes=), or the transport did not start" :
            text + " after " + configuration.nodeReadyTimeoutMs() + " ms";
    }

    /**
     * {@code Runtime.availableProcessors()} as the application's classes see it with {@code reportPooledCpus=true}: the
     * processors of the pool, each machine counted once with the largest count any JVM on it reports (this one
     * included), so local nodes on this machine do not inflate it. Lost nodes no longer count.
     *
     * <p>The first call waits, up to {@code nodeReadyTimeoutMs}, for the nodes that are still starting, as the first
     * moved {@code start()} does: programs size their thread pools once, first thing in {@code main}, and would
     * otherwise always get this JVM's count. Later calls do not wait; with no node ready the answer is this JVM's.
     */
    int availableProcessors()
    {
        final int own = Runtime.getRuntime().availableProcessors();
        if (!poolSettled)
        {
            awaitNodesSettled();
            poolSettled = true;
        }
        final Map<String, Integer> byHost = new HashMap<>();
        byHost.put(HostName.local(), own);
        synchronized (nodes)
        {
            for (final NodeConnection node : nodes)
            {
                if (node.isReady() && null != node.hostName())
                {
                    byHost.merge(node.hostName(), node.availableProcessors(), Math::max);
                }
            }
        }
        int pooled = 0;
        for (final int processors : byHost.values())
        {
            pooled += processors;
        }
        return pooled;
    }

    /** Until no node is starting (each is ready or lost), the origin is closing, or nodeReadyTimeoutMs has passed. */
    private void awaitNodesSettled()
    {
        final long deadlineNs = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(configuration.nodeReadyTimeoutMs());
        synchronized (nodes)
        {
            while (!closed.getAsBoolean())
            {
                boolean starting = opening.getAsBoolean();
                for (final NodeConnection node : nodes)
                {
                    starting |= !node.isReady() && !node.isLost();
                }
                final long leftNs = deadlineNs - clock.nanoTime();
                if (!starting || leftNs <= 0)
                {
                    return;
                }
                try
                {
                    TimeUnit.NANOSECONDS.timedWait(nodes, leftNs);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
