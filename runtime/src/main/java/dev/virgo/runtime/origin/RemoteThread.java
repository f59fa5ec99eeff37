package dev.virgo.runtime.origin;

import dev.virgo.runtime.graph.Snapshot;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The origin's handle on a moved thread: what the local {@link Thread} object answers for {@code join},
 * {@code isAlive}, {@code getState} and {@code interrupt} while its run happens on a node.
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

    private final CountDownLatch terminated = new CountDownLatch(1);
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

    boolean isAlive()
    {
        return terminated.getCount() > 0;
    }

    /** As {@link Thread#join(long)}: 0 waits for ever. The countdown gives join() happens-before the write-back. */
    void join(final long millis) throws InterruptedException
    {
        if (millis == 0)
        {
            terminated.await();
        }
        else
        {
            terminated.await(millis, TimeUnit.MILLISECONDS);
        }
    }

    /** Called once the write-back and the uncaught-exception handler are done. */
    void markTerminated()
    {
        terminated.countDown();
        synchronized (thread)
        {
            // Code that waits on the Thread object itself, as Thread.join does inside the JDK, wakes up too.
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
