package dev.virgo.runtime.node;

import dev.virgo.runtime.log.VirgoLog;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Makes a racy program progress: every moved thread's plain writes are published to the origin, and others' writes
 * fetched into its copies, within a bounded time even when it never synchronizes, as another core's stores reach a
 * thread spinning on a plain field of a real multiprocessor (JLS 17.4.9 does not promise it; plenty of programs,
 * benchmarks included, rely on it). For a data-race-free program this changes nothing it can observe: a location
 * others changed is only read after an acquire that would have brought it anyway.
 * <p>
 * One daemon thread per node. A thread's first refresh comes {@link #FIRST_DELAY_NS} after it starts (short fork/join
 * threads never pay one), then every {@link #MIN_PERIOD_NS} while refreshes find changes, backing off to
 * {@link #MAX_PERIOD_NS} while they find none; and never more often than every ten times what the last refresh cost
 * this node in processor time (encoding and merging), so the exchange of a large graph takes at most about a tenth of
 * it. Processor time, not elapsed time: a refresh that waited for a slow origin (its first one sets up the thread's
 * shadow there, a loaded machine delays the reply) cost nothing here, and backing off for it would stall a racy
 * program for ten times that wait.
 */
final class Refresher implements Runnable
{
    static final long FIRST_DELAY_NS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("virgo.refreshFirstDelayMs", 10));
    static final long MIN_PERIOD_NS = TimeUnit.MILLISECONDS.toNanos(2);
    static final long MAX_PERIOD_NS = TimeUnit.MILLISECONDS.toNanos(8);
    private static final long TICK_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int COST_FACTOR = 10;

    private static final Refresher INSTANCE = new Refresher();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean CPU_TIME = THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();

    private final CopyOnWriteArrayList<Entry> entries = new CopyOnWriteArrayList<>();
    private Thread thread;

    private static final class Entry
    {
        final MovedThreadSync sync;
        long dueNs;
        long periodNs = MIN_PERIOD_NS;

        Entry(final MovedThreadSync sync, final long dueNs)
        {
            this.sync = sync;
            this.dueNs = dueNs;
        }
    }

    static void register(final MovedThreadSync sync)
    {
        INSTANCE.add(sync);
    }

    static void unregister(final MovedThreadSync sync)
    {
        INSTANCE.entries.removeIf(entry -> entry.sync == sync);
    }

    private synchronized void add(final MovedThreadSync sync)
    {
        entries.add(new Entry(sync, System.nanoTime() + FIRST_DELAY_NS));
        if (null == thread)
        {
            thread = new Thread(this, "virgo-refresher");
            thread.setDaemon(true);
            thread.start();
        }
    }

    @Override
    public void run()
    {
        while (true)
        {
            for (final Entry entry : entries)
            {
                if (System.nanoTime() - entry.dueNs < 0)
                {
                    continue;
                }
                final long startCpuNs = cpuTimeNs();
                boolean changed = false;
                try
                {
                    changed = entry.sync.refresh();
                }
                catch (final RuntimeException | LinkageError ex)
                {
                    VirgoLog.debug("refresh of " + entry.sync + " failed: " + ex);
                }
                final long costNs = cpuTimeNs() - startCpuNs;
                entry.periodNs = changed ? MIN_PERIOD_NS : Math.min(entry.periodNs * 2, MAX_PERIOD_NS);
                entry.dueNs = System.nanoTime() + Math.max(entry.periodNs, COST_FACTOR * costNs);
            }
            LockSupport.parkNanos(TICK_NS);
        }
    }

    /** This thread's processor time, or, on a JVM that cannot tell, elapsed time (the cost then includes waits). */
    private static long cpuTimeNs()
    {
        return CPU_TIME ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }
}
