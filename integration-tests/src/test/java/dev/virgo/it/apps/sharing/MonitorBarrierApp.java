package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

import java.util.Arrays;

/**
 * A barrier written with {@code synchronized}, {@code wait} and {@code notifyAll} (a generation count, so a fast
 * worker cannot slip through the next round's wait). Four workers compute ten phases over a shared double-buffered
 * array: each phase reads its neighbour's value from the previous phase, so it is right only if the barrier is.
 */
public final class MonitorBarrierApp
{
    static final int WORKERS = 4;
    static final int PHASES = 10;

    static final class Barrier
    {
        private final int parties;
        private int waiting;
        private int generation;

        Barrier(final int parties)
        {
            this.parties = parties;
        }

        synchronized void await() throws InterruptedException
        {
            final int arrivedIn = generation;
            if (++waiting == parties)
            {
                waiting = 0;
                generation++;
                notifyAll();
                return;
            }
            while (generation == arrivedIn)
            {
                wait();
            }
        }
    }

    static final class Worker implements Runnable
    {
        private final int index;
        private final long[][] values;
        private final Barrier barrier;
        long ranIn;

        Worker(final int index, final long[][] values, final Barrier barrier)
        {
            this.index = index;
            this.values = values;
            this.barrier = barrier;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            try
            {
                for (int phase = 0; phase < PHASES; phase++)
                {
                    final long[] from = values[phase % 2];
                    values[(phase + 1) % 2][index] = from[index] + 2 * from[(index + 1) % WORKERS] + phase;
                    barrier.await();
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final long[][] values = new long[2][WORKERS];
        for (int i = 0; i < WORKERS; i++)
        {
            values[0][i] = i + 1;
        }
        final Barrier barrier = new Barrier(WORKERS);
        final Worker[] workers = new Worker[WORKERS];
        final Thread[] threads = new Thread[WORKERS];
        for (int i = 0; i < WORKERS; i++)
        {
            workers[i] = new Worker(i, values, barrier);
            threads[i] = new Thread(workers[i], "worker-" + i);
            threads[i].start();
        }
        Report.joinAll(threads);

        for (int i = 0; i < WORKERS; i++)
        {
            Report.ran(threads[i].getName(), workers[i].ranIn);
        }
        Report.result("values=" + Arrays.toString(values[PHASES % 2]));
    }
}
