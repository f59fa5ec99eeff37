package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

import java.util.Arrays;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Ten phases over a shared double-buffered array with a {@code Phaser}: four workers registered up front, each
 * {@code awaitAdvanceInterruptibly(arrive())} between phases, {@code arriveAndDeregister()} at the end, so the phaser
 * terminates when the last leaves.
 */
public final class PhaserApp
{
    static final int WORKERS = 4;
    static final int PHASES = 10;
    static final long GIVE_UP_S = 10;

    static final class Worker implements Runnable
    {
        private final int index;
        private final long[][] values;
        private final Phaser phaser;
        long ranIn;
        int lastPhaseSeen = -1;
        String failure = "none";

        Worker(final int index, final long[][] values, final Phaser phaser)
        {
            this.index = index;
            this.values = values;
            this.phaser = phaser;
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
                    lastPhaseSeen = phaser.awaitAdvanceInterruptibly(phaser.arrive(), GIVE_UP_S, TimeUnit.SECONDS);
                }
            }
            catch (final InterruptedException | TimeoutException ex)
            {
                failure = ex.getClass().getSimpleName();
            }
            finally
            {
                phaser.arriveAndDeregister();
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
        final Phaser phaser = new Phaser(WORKERS);
        final Worker[] workers = new Worker[WORKERS];
        final Thread[] threads = new Thread[WORKERS];
        for (int i = 0; i < WORKERS; i++)
        {
            workers[i] = new Worker(i, values, phaser);
            threads[i] = new Thread(workers[i], "worker-" + i);
            threads[i].start();
        }
        Report.joinAll(threads);

        final StringBuilder seen = new StringBuilder();
        for (int i = 0; i < WORKERS; i++)
        {
            Report.ran(threads[i].getName(), workers[i].ranIn);
            seen.append(i == 0 ? "" : ",").append(workers[i].lastPhaseSeen).append('/').append(workers[i].failure);
        }
        Report.result("values=" + Arrays.toString(values[PHASES % 2]) + " lastPhases=" + seen +
            " terminated=" + phaser.isTerminated());
    }
}
