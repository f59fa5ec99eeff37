package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * Statistics kept in {@code volatile} fields and updated through static field updaters, the way code that cannot
 * afford an atomic object per instance writes them: four workers record 100 words each, after meeting at a barrier so
 * that they record at the same time; a count, a total length, and the longest word (ties to the first in
 * alphabetical order) swapped in by compare-and-set.
 */
public final class FieldUpdaterApp
{
    static final int WORKERS = 4;
    static final int WORDS = 100;

    static final class Stats
    {
        static final AtomicIntegerFieldUpdater<Stats> HITS = AtomicIntegerFieldUpdater.newUpdater(Stats.class, "hits");
        static final AtomicLongFieldUpdater<Stats> LETTERS = AtomicLongFieldUpdater.newUpdater(Stats.class, "letters");
        static final AtomicReferenceFieldUpdater<Stats, String> LONGEST =
            AtomicReferenceFieldUpdater.newUpdater(Stats.class, String.class, "longest");

        private volatile int hits;
        private volatile long letters;
        private volatile String longest = "";

        void record(final String word)
        {
            HITS.incrementAndGet(this);
            LETTERS.addAndGet(this, word.length());
            while (true)
            {
                final String current = longest;
                final boolean longer = word.length() > current.length() ||
                    word.length() == current.length() && word.compareTo(current) < 0;
                if (!longer || LONGEST.compareAndSet(this, current, word))
                {
                    return;
                }
            }
        }
    }

    static final class Worker implements Runnable
    {
        private final Stats stats;
        private final CyclicBarrier start;
        private final int id;
        long ranIn;

        Worker(final Stats stats, final CyclicBarrier start, final int id)
        {
            this.stats = stats;
            this.start = start;
            this.id = id;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            try
            {
                start.await();
            }
            catch (final InterruptedException | BrokenBarrierException ex)
            {
                throw new IllegalStateException(ex);
            }
            for (int i = 0; i < WORDS; i++)
            {
                final int seed = (id * WORDS + i) * 7919 % 1013;
                stats.record("w" + Integer.toString(seed * seed, 36));
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final Stats stats = new Stats();
        final CyclicBarrier start = new CyclicBarrier(WORKERS);
        final Worker[] workers = new Worker[WORKERS];
        final Thread[] threads = new Thread[WORKERS];
        for (int w = 0; w < WORKERS; w++)
        {
            workers[w] = new Worker(stats, start, w);
            threads[w] = new Thread(workers[w], "worker-" + w);
            threads[w].start();
        }
        Report.joinAll(threads);

        for (int w = 0; w < WORKERS; w++)
        {
            Report.ran("worker-" + w, workers[w].ranIn);
        }
        Report.result("hits=" + stats.hits + " letters=" + stats.letters + " longest=" + stats.longest);
    }
}
