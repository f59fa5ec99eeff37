package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

/**
 * A registry kept in static fields behind {@code static synchronized} methods (the monitor is the class): four workers
 * record values into it and each waits until it holds every worker's records.
 */
public final class StaticSynchronizedApp
{
    static final int WORKERS = 4;
    static final int RECORDS = 200;
    static final long GIVE_UP_NS = 10_000_000_000L;

    static final class Registry
    {
        private static int count;
        private static long sum;
        private static long max;

        static synchronized void record(final long value)
        {
            count++;
            sum += value;
            max = Math.max(max, value);
        }

        static synchronized int count()
        {
            return count;
        }

        static synchronized String summary()
        {
            return "count=" + count + " sum=" + sum + " max=" + max;
        }
    }

    static final class Recorder implements Runnable
    {
        private final int index;
        long ranIn;
        boolean sawAll;

        Recorder(final int index)
        {
            this.index = index;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            for (int i = 0; i < RECORDS; i++)
            {
                Registry.record((long)index * RECORDS + i);
            }
            final long giveUpAt = System.nanoTime() + GIVE_UP_NS;
            while (!sawAll && System.nanoTime() - giveUpAt < 0)
            {
                sawAll = Registry.count() == WORKERS * RECORDS;
                Thread.yield();
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final Recorder[] recorders = new Recorder[WORKERS];
        final Thread[] threads = new Thread[WORKERS];
        for (int i = 0; i < WORKERS; i++)
        {
            recorders[i] = new Recorder(i);
            threads[i] = new Thread(recorders[i], "recorder-" + i);
            threads[i].start();
        }
        Report.joinAll(threads);

        boolean allSawAll = true;
        for (int i = 0; i < WORKERS; i++)
        {
            Report.ran(threads[i].getName(), recorders[i].ranIn);
            allSawAll &= recorders[i].sawAll;
        }
        Report.result(Registry.summary() + " allSawAll=" + allSawAll);
    }
}
