package dev.virgo.it.heap.apps;

import dev.virgo.api.heap.SharedLongArray;
import dev.virgo.api.heap.SharedMemory;
import dev.virgo.it.apps.Check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The origin's side of a test program's threads: starts {@link Party}s where asked, joins them with a deadline, prints
 * a {@code FAIL} line for each that failed, and reads back from the shared heap the pid each recorded. A program whose
 * threads do not end in time prints why and exits with status 2: every wait is bounded.
 */
public final class Parties
{
    private final SharedLongArray pids;
    private int pidSlots;
    private final List<Thread> threads = new ArrayList<>();
    private final List<Party> running = new ArrayList<>();
    private final List<Party> all = new ArrayList<>();

    public Parties(final SharedMemory memory, final int capacity)
    {
        this.pids = SharedLongArray.allocate(memory, capacity);
        Thread.setDefaultUncaughtExceptionHandler((thread, ex) ->
        {
            System.out.println("FAIL uncaught-exception: in thread " + thread.getName() + ": " + ex);
            ex.printStackTrace(System.out);
        });
    }

    SharedLongArray pids()
    {
        return pids;
    }

    int nextPidSlot()
    {
        if (pidSlots == pids.length())
        {
            throw new IllegalStateException("more than " + pids.length() + " parties: make Parties larger");
        }
        return pidSlots++;
    }

    /** Starts {@code party} in a new thread placed as asked; @return the thread. */
    public Thread start(final Party party, final Placement placement)
    {
        final Thread thread = placement.newThread(party);
        thread.start();
        threads.add(thread);
        running.add(party);
        all.add(party);
        return thread;
    }

    /**
     * Joins every party started since the last call, all within {@code timeout}.
     *
     * @return true if every one completed its body; false after printing a {@code FAIL} line for each that did not.
     */
    public boolean joinAll(final String phase, final Duration timeout) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < threads.size(); i++)
        {
            final Thread thread = threads.get(i);
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime())));
            if (thread.isAlive())
            {
                System.out.println("FAIL " + phase + ": thread " + thread.getName() + " did not end within " +
                    timeout + " (state " + thread.getState() + ")");
                System.out.flush();
                System.exit(2);
            }
        }
        boolean ok = true;
        for (final Party party : running)
        {
            if (null != party.failure)
            {
                ok = false;
                System.out.println("FAIL " + phase + ": " + party + " failed: " + party.failure);
            }
        }
        threads.clear();
        running.clear();
        return ok;
    }

    /**
     * Checks that the parties ran in at least {@code jvms} JVMs, by the pids they wrote into the shared heap, and that
     * these are the pids their own fields brought back with the join write-back.
     */
    public void checkRanInJvms(final String check, final int jvms)
    {
        final Set<Long> inHeap = new LinkedHashSet<>();
        final List<String> mismatches = new ArrayList<>();
        for (final Party party : all)
        {
            final long recorded = pids.get(party.pidSlot());
            inHeap.add(recorded);
            if (recorded != party.pid)
            {
                mismatches.add(party.name + ": heap " + recorded + " field " + party.pid);
            }
        }
        Check.that(check, inHeap.size() >= jvms && mismatches.isEmpty(),
            "pids in the heap " + inHeap + " (" + jvms + " distinct expected); mismatches " + mismatches);
        System.out.println("parties ran in pids " + inHeap + "; origin " + Check.pid());
    }

    /** @return the distinct pids the given parties ran in. */
    public static Set<Long> pidsOf(final List<? extends Party> parties)
    {
        final Set<Long> pids = new LinkedHashSet<>();
        for (final Party party : parties)
        {
            pids.add(party.pid);
        }
        return pids;
    }
}
