package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@code Semaphore} of two permits guards a section that four workers enter twenty times each. Inside, a worker
 * counts itself in an atomic and records the most it saw inside at once; it keeps its permit until someone else has
 * entered after it (or it is the last worker with entries left), so two are inside together on every run, and never
 * three.
 */
public final class SemaphoreApp
{
    static final int WORKERS = 4;
    static final int PERMITS = 2;
    static final int ENTRIES = 20;
    static final long GIVE_UP_NS = 10_000_000_000L;

    static final class Worker implements Runnable
    {
        private final Semaphore permits;
        private final AtomicInteger inside;
        private final AtomicInteger entries;
        private final AtomicInteger mostInside;
        private final AtomicInteger active;
        long ranIn;
        boolean gaveUp;

        Worker(final Semaphore permits, final AtomicInteger inside, final AtomicInteger entries,
            final AtomicInteger mostInside, final AtomicInteger active)
        {
            this.permits = permits;
            this.inside = inside;
            this.entries = entries;
            this.mostInside = mostInside;
            this.active = active;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            final long giveUpAt = System.nanoTime() + GIVE_UP_NS;
            try
            {
                for (int i = 0; i < ENTRIES && !gaveUp; i++)
                {
                    if (!permits.tryAcquire(GIVE_UP_NS, TimeUnit.NANOSECONDS))
                    {
                        gaveUp = true;
                        break;
                    }
                    try
                    {
                        mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        final int myEntry = entries.incrementAndGet();
                        while (entries.get() == myEntry && active.get() > 1 && !gaveUp)
                        {
                            gaveUp = System.nanoTime() - giveUpAt > 0;
                            Thread.yield();
                        }
                        inside.decrementAndGet();
                    }
                    finally
                    {
                        permits.release();
                    }
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            active.decrementAndGet();
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final Semaphore permits = new Semaphore(PERMITS);
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger entries = new AtomicInteger();
        final AtomicInteger mostInside = new AtomicInteger();
        final AtomicInteger active = new AtomicInteger(WORKERS);
        final Worker[] workers = new Worker[WORKERS];
        final Thread[] threads = new Thread[WORKERS];
        for (int i = 0; i < WORKERS; i++)
        {
            workers[i] = new Worker(permits, inside, entries, mostInside, active);
            threads[i] = new Thread(workers[i], "worker-" + i);
            threads[i].start();
        }
        Report.joinAll(threads);

        boolean anyGaveUp = false;
        for (int i = 0; i < WORKERS; i++)
        {
            Report.ran(threads[i].getName(), workers[i].ranIn);
            anyGaveUp |= workers[i].gaveUp;
        }
        Report.result("entries=" + entries.get() + " mostInside=" + mostInside.get() + " gaveUp=" + anyGaveUp +
            " permitsLeft=" + permits.availablePermits());
    }
}
