package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Updates of shared {@code AtomicLongArray} and {@code AtomicIntegerArray} elements, neighbouring and contended: four
 * workers each add 200 values into sixteen sums and counts, and each waits until the counts add up to everyone's.
 */
public final class AtomicArrayApp
{
    static final int WORKERS = 4;
    static final int UPDATES = 200;
    static final int SLOTS = 16;
    static final long GIVE_UP_NS = 10_000_000_000L;

    static final class Worker implements Runnable
    {
        private final int index;
        private final AtomicLongArray sums;
        private final AtomicIntegerArray counts;
        long ranIn;
        boolean sawAll;

        Worker(final int index, final AtomicLongArray sums, final AtomicIntegerArray counts)
        {
            this.index = index;
            this.sums = sums;
            this.counts = counts;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            for (int i = 0; i < UPDATES; i++)
            {
                final int slot = (i * 5 + index) % SLOTS;
                sums.addAndGet(slot, (long)index * UPDATES + i);
                counts.incrementAndGet(slot);
            }
            final long giveUpAt = System.nanoTime() + GIVE_UP_NS;
            while (!sawAll && System.nanoTime() - giveUpAt < 0)
            {
                int total = 0;
                for (int s = 0; s < SLOTS; s++)
                {
                    total += counts.get(s);
                }
                sawAll = total == WORKERS * UPDATES;
                Thread.yield();
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final AtomicLongArray sums = new AtomicLongArray(SLOTS);
        final AtomicIntegerArray counts = new AtomicIntegerArray(SLOTS);
        final Worker[] workers = new Worker[WORKERS];
        final Thread[] threads = new Thread[WORKERS];
        for (int i = 0; i < WORKERS; i++)
        {
            workers[i] = new Worker(i, sums, counts);
            threads[i] = new Thread(workers[i], "worker-" + i);
            threads[i].start();
        }
        Report.joinAll(threads);

        boolean allSawAll = true;
        for (int i = 0; i < WORKERS; i++)
        {
            Report.ran(threads[i].getName(), workers[i].ranIn);
            allSawAll &= workers[i].sawAll;
        }
        Report.result("sums=" + sums + " counts=" + counts + " allSawAll=" + allSawAll);
    }
}
