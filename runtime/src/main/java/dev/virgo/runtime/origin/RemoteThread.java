package dev.virgo.runtime.origin;

import dev.virgo.runtime.graph.Snapshot;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The origin's handle on a moved thread while it runs: what the local {@link Thread} object answers for
 * {@code join}, {@code isAlive}, {@code getState} and {@code interrupt} while its run happens on a node, and what
 * the write-back needs (the snapshot holding the original objects, the statics, the loader).
 *
 * <p>It lives only while the thread runs: once the thread ended, the registry in {@link OriginRuntime} forgets it,
 * so that nothing of Virgo keeps the {@code Thread}, its graph or its snapshot bytes reachable.
 *
 * <p>Joins wait as the JDK's {@link Thread#join(long)} does: in {@link Object#wait(long)} on the {@code Thread}
 * object, which releases its monitor. On JDK 17 {@code join(long)} is {@code synchronized}, and this runs inside it
 * holding that monitor: waiting on anything else would make every other joiner, timed or not, wait for this one.
 */
final class RemoteThread
{
    final Thread thread;
    final long threadId;
    final NodeConnection node;
    final Snapshot snapshot;
    /** What START carries: the statics manifest and the snapshot; see ThreadRoots. Dropped once sent. */
    byte[] startPayload;
    final List<StaticFields.ClassStatics> statics;
    /** The statics' value arrays that went into the snapshot; the write-back changes their elements. */
    final Object[][] staticValues;
    /** Copies of those arrays taken at start, to see which elements the write-back changed. */
    final Object[][] staticsAtStart;
    final ClassLoader loader;

    /** Made at the thread's first SYNC; see {@link ThreadShadows}. Guarded by this. */
    private ThreadShadows shadows;

    /** Written after the write-back, read by joiners: gives {@code join()} happens-before with the write-back. */
    private volatile boolean terminated;
    private volatile boolean interrupted;

    RemoteThread(
        final Thread thread,
        final long threadId,
        final NodeConnection node,
        final Snapshot snapshot,
        final byte[] startPayload,
        final List<StaticFields.ClassStatics> statics,
        final Object[][] staticValues,
        final Object[][] staticsAtStart,
        final ClassLoader loader)
    {
        this.thread = thread;
        this.threadId = threadId;
        this.node = node;
        this.snapshot = snapshot;
        this.startPayload = startPayload;
        this.statics = statics;
        this.staticValues = staticValues;
        this.staticsAtStart = staticsAtStart;
        this.loader = loader;
    }

    /** The thread's shadows, made on its first synchronization with a shared object. */
    synchronized ThreadShadows shadows(final long originId)
    {
        if (null == shadows)
        {
            shadows = new ThreadShadows(originId, this);
        }
        return shadows;
    }

    /** The thread's shadows, or null when it never synchronized with a shared object. */
    synchronized ThreadShadows shadowsIfAny()
    {
        return shadows;
    }

    boolean isAlive()
    {
        return !terminated;
    }

    /**
     * As {@link Thread#join(long)}: 0 waits for ever. Waits on the {@code Thread}'s monitor, releasing it (it may be
     * held already: JDK 17's {@code join(long)} is synchronized), so other joiners wait at the same time.
     */
    void join(final long millis) throws InterruptedException
    {
        synchronized (thread)
        {
            if (millis == 0)
            {
                while (!terminated)
                {
                    thread.wait();
                }
            }
            else
            {
                final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
                long leftNs;
                while (!terminated && (leftNs = deadlineNs - System.nanoTime()) > 0)
                {
                    TimeUnit.NANOSECONDS.timedWait(thread, leftNs);
                }
            }
        }
    }

    /** Called once the write-back and the uncaught-exception handler are done; wakes every joiner. */
    void markTerminated()
    {
        terminated = true;
        synchronized (thread)
        {
            // Joiners wait on the Thread object, as code that waits on it itself does (the JDK's own join, too).
            thread.notifyAll();
        }
    }

    void markInterrupted()
    {
        interrupted = true;
    }

    boolean isInterrupted()
    {
        return interrupted && isAlive();
    }

    @Override
    public String toString()
    {
        return "thread '" + thread.getName() + "' (id " + threadId + ") on " + node.name();
    }
}
