package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

import java.util.Arrays;

/**
 * A barrier of spinning flags: each worker publishes the phases it has finished in a {@code volatile} round counter of
 * its own and spins until every other worker's counter has caught up. Same ten phases over a shared double-buffered
 * array as the monitor barrier; a worker that gives up waiting leaves a wrong value behind.
 */
public final class SpinBarrierApp
{
    static final int WORKERS = 4;
    static final int PHASES = 10;
    static final long GIVE_UP_NS = 10_000_000_000L;

    static final class Worker implements Runnable
    {
        private final int index;
        private final long[][] values;
        private Worker[] all;
        volatile int finished;
        long ranIn;
        boolean gaveUp;

        Worker(final int index, final long[][] values)
        {
            this.index = index;
            this.values = values;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            final long giveUpAt = System.nanoTime() + GIVE_UP_NS;
            for (int phase = 0; phase < PHASES && !gaveUp; phase++)
            {
                final long[] from = values[phase % 2];
                values[(phase + 1) % 2][index] = from[index] + 2 * from[(index + 1) % WORKERS] + phase;
                finished = phase + 1;
                for (final Worker other : all)
                {
                    while (other.finished < phase + 1 && !gaveUp)
                    {
                        gaveUp = System.nanoTime() - giveUpAt > 0;
                        Thread.yield();
                    }
                }
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
        final Worker[] workers = new Worker[WORKERS];
        for (int i = 0; i < WORKERS; i++)
        {
            workers[i] = new Worker(i, values);
        }
        final Thread[] threads = new Thread[WORKERS];
        for (int i = 0; i < WORKERS; i++)
        {
            workers[i].all = workers;
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
        Report.result("values=" + Arrays.toString(values[PHASES % 2]) + " gaveUp=" + anyGaveUp);
    }
}
