package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

import java.util.Arrays;

/**
 * A reduction into shared arrays under a lock: four workers bucket 200 values each, and every 20 values add their
 * partial sums and counts into the shared {@code long[]}s inside {@code synchronized (sums)}. Each then waits, under
 * the same lock, until the counts hold every worker's values.
 */
public final class LockedReductionApp
{
    static final int WORKERS = 4;
    static final int VALUES = 200;
    static final int CHUNK = 20;
    static final int BUCKETS = 16;
    static final long GIVE_UP_NS = 10_000_000_000L;

    static final class Reducer implements Runnable
    {
        private final int index;
        private final long[] sums;
        private final long[] counts;
        long ranIn;
        boolean sawAll;

        Reducer(final int index, final long[] sums, final long[] counts)
        {
            this.index = index;
            this.sums = sums;
            this.counts = counts;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            final long[] partialSums = new long[BUCKETS];
            final long[] partialCounts = new long[BUCKETS];
            for (int i = 0; i < VALUES; i++)
            {
                final int value = (int)(((index * VALUES + i) * 2_654_435_761L) % 1_000);
                partialSums[value % BUCKETS] += value;
                partialCounts[value % BUCKETS]++;
                if ((i + 1) % CHUNK == 0)
                {
                    synchronized (sums)
                    {
                        for (int b = 0; b < BUCKETS; b++)
                        {
                            sums[b] += partialSums[b];
                            counts[b] += partialCounts[b];
                        }
                    }
                    Arrays.fill(partialSums, 0);
                    Arrays.fill(partialCounts, 0);
                }
            }
            final long giveUpAt = System.nanoTime() + GIVE_UP_NS;
            while (!sawAll && System.nanoTime() - giveUpAt < 0)
            {
                synchronized (sums)
                {
                    sawAll = Arrays.stream(counts).sum() == (long)WORKERS * VALUES;
                }
                Thread.yield();
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final long[] sums = new long[BUCKETS];
        final long[] counts = new long[BUCKETS];
        final Reducer[] reducers = new Reducer[WORKERS];
        final Thread[] threads = new Thread[WORKERS];
        for (int i = 0; i < WORKERS; i++)
        {
            reducers[i] = new Reducer(i, sums, counts);
            threads[i] = new Thread(reducers[i], "reducer-" + i);
            threads[i].start();
        }
        Report.joinAll(threads);

        boolean allSawAll = true;
        for (int i = 0; i < WORKERS; i++)
        {
            Report.ran(threads[i].getName(), reducers[i].ranIn);
            allSawAll &= reducers[i].sawAll;
        }
        Report.result("sums=" + Arrays.toString(sums) + " counts=" + Arrays.toString(counts) +
            " allSawAll=" + allSawAll);
    }
}
