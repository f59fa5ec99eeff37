package dev.virgo.runtime.origin;

import dev.virgo.runtime.log.VirgoLog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The registry of the threads this origin moved, and what a moved {@link Thread} answers ({@code isAlive},
 * {@code join}, {@code getState}, {@code interrupt}) while and after it runs on a node.
 *
 * <p>The conductor is reached at call time through a supplier, because the origin creates it only once the transport
 * has started, after this registry.
 */
final class MovedThreads
{
    /**
     * Every moved thread the program still holds: the value is its {@link RemoteThread} while it runs, and null once
     * it ended. The key stays so that the Thread keeps answering as a finished thread (TERMINATED, a second start()
     * refused); the value goes so that nothing here keeps the Thread, its graph or its snapshot reachable (a value
     * that referenced its weak key would keep both for ever).
     */
    private final Map<Thread, RemoteThread> movedThreads = Collections.synchronizedMap(new WeakHashMap<>());
    private final Map<Long, RemoteThread> runningById = new ConcurrentHashMap<>();
    private final KeepAlive keepAlive;
    private final Supplier<OriginConductor> conductor;
    private volatile boolean moved;
    /** The moved thread whose exit or halt is ending the program; it stays alive while the JVM goes. */
    private volatile RemoteThread exitingThread;

    MovedThreads(final KeepAlive keepAlive, final Supplier<OriginConductor> conductor)
    {
        this.keepAlive = keepAlive;
        this.conductor = conductor;
    }

    /** @return true when the thread was ever moved, whether it still runs or ended. */
    boolean contains(final Thread thread)
    {
        return movedThreads.containsKey(thread);
    }

    /** Makes the thread a moved one: its Thread object answers from {@code remote} from now on. */
    void register(final RemoteThread remote)
    {
        movedThreads.put(remote.thread, remote);
        runningById.put(remote.threadId, remote);
        moved = true;
    }

    /** Forgets the thread altogether, after {@link #ended}: its START could not be sent, so it starts locally. */
    void remove(final Thread thread)
    {
        movedThreads.remove(thread);
    }

    RemoteThread running(final long threadId)
    {
        return runningById.get(threadId);
    }

    List<RemoteThread> runningOn(final NodeConnection node)
    {
        final List<RemoteThread> result = new ArrayList<>();
        for (final RemoteThread remote : runningById.values())
        {
            if (remote.node == node)
            {
                result.add(remote);
            }
        }
        return result;
    }

    /**
     * Bookkeeping once a moved thread is over, before {@link RemoteThread#markTerminated()}: from here nothing of
     * Virgo references the thread (see {@link #movedThreads}), and whoever finds it ended also sees its write-back.
     */
    void ended(final RemoteThread remote)
    {
        if (null != runningById.remove(remote.threadId))
        {
            movedThreads.replace(remote.thread, remote, null);
            remote.node.threadEnded();
            if (!remote.thread.isDaemon())
            {
                keepAlive.release();
            }
        }
    }

    boolean isMoved(final Thread thread)
    {
        return moved && movedThreads.containsKey(thread);
    }

    /**
     * The handle of a moved thread while it runs; null once it ended (the callers below ask only about threads that
     * {@link #isMoved} said were moved, and a moved thread stays so).
     */
    private RemoteThread whileRunning(final Thread thread)
    {
        return movedThreads.get(thread);
    }

    boolean isAlive(final Thread thread)
    {
        final RemoteThread remote = whileRunning(thread);
        return null != remote && remote.isAlive();
    }

    void join(final Thread thread, final long millis) throws InterruptedException
    {
        if (millis < 0)
        {
            throw new IllegalArgumentException("timeout value is negative");
        }
        final RemoteThread remote = whileRunning(thread);
        if (null != remote)
        {
            remote.join(millis);
        }
    }

    Thread.State getState(final Thread thread)
    {
        final RemoteThread remote = whileRunning(thread);
        return null != remote && remote.isAlive() ? conductor.get().queryState(remote) : Thread.State.TERMINATED;
    }

    void interrupt(final Thread thread)
    {
        final RemoteThread remote = whileRunning(thread);
        if (null != remote && remote.isAlive())
        {
            remote.markInterrupted();
            conductor.get().sendInterrupt(remote);
        }
    }

    boolean isInterrupted(final Thread thread)
    {
        final RemoteThread remote = whileRunning(thread);
        return null != remote && remote.isInterrupted();
    }

    /** Notes the moved thread whose exit or halt is ending the program, so {@link #endAbandoned()} leaves it. */
    void exiting(final RemoteThread remote)
    {
        exitingThread = remote;
    }

    /**
     * The origin is closing and has told the nodes to stop its threads, whose ends it will no longer hear of: they
     * end here, as local threads end with the JVM, so that nothing still in join() (a shutdown hook, say) waits for
     * ever.
     */
    void endAbandoned()
    {
        for (final RemoteThread remote : new ArrayList<>(runningById.values()))
        {
            if (remote == exitingThread)
            {
                continue; // as in one JVM, a thread in System.exit never returns: its joiners wait for the JVM to go
            }
            VirgoLog.debug("origin closing: " + remote + " abandoned");
            ended(remote);
            remote.markTerminated();
        }
    }
}
