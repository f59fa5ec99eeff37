package dev.virgo.it.heap.apps;

import dev.virgo.api.heap.SharedLongArray;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * What one thread of a test program does, wherever it runs ({@link Placement}). It records the pid of the JVM it ran in
 * both in the shared heap (a slot of {@link Parties#pids()}) and in its own field, and catches whatever its body throws
 * into {@link #failure}: both fields come back to the origin with the join write-back, so the origin reports a failure
 * on a node by name and proves where each thread ran.
 */
public abstract class Party
{
    final String name;
    private final SharedLongArray pids;
    private final int pidSlot;
    long pid;
    String failure;

    protected Party(final String name, final Parties parties)
    {
        this.name = name;
        this.pids = parties.pids();
        this.pidSlot = parties.nextPidSlot();
    }

    /** The work; runs in the thread the party was started in. */
    protected abstract void body() throws Exception;

    /** Called after the body threw, so that the other parties waiting on this one fail fast rather than time out. */
    protected void onFailure()
    {
    }

    final void runHere()
    {
        pid = ProcessHandle.current().pid();
        try
        {
            pids.set(pidSlot, pid);
            body();
        }
        catch (final Throwable ex)
        {
            final StringWriter trace = new StringWriter();
            ex.printStackTrace(new PrintWriter(trace));
            failure = trace.toString();
            try
            {
                onFailure();
            }
            catch (final RuntimeException suppressed)
            {
                failure += System.lineSeparator() + "and then, telling the others: " + suppressed;
            }
        }
    }

    /**
     * Yields for {@code nanos}: lets other members' requests in between two operations of this thread. Without it the
     * member that owns a page (or holds a lock) does hundreds of operations on it as local hits before another
     * member's request is served, and the threads of different JVMs hardly interleave.
     */
    protected static void pause(final long nanos)
    {
        final long untilNs = System.nanoTime() + nanos;
        while (System.nanoTime() - untilNs < 0)
        {
            Thread.yield();
        }
    }

    int pidSlot()
    {
        return pidSlot;
    }

    @Override
    public String toString()
    {
        return name + " (pid " + pid + ")";
    }
}
