package dev.virgo.it.apps.refusals;

import dev.virgo.it.apps.Check;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A relaxation in phases: each worker updates its half of a static grid from the grid of the previous phase, and
 * all wait at a {@code static CyclicBarrier} before the next. A copy of the barrier per worker would never trip.
 */
public final class StaticBarrierApp
{
    static final int WORKERS = 2;
    static final int PHASES = 20;
    static final int SIZE = 64;
    static final CyclicBarrier barrier = new CyclicBarrier(WORKERS);
    static long[][] grids = new long[PHASES + 1][SIZE];

    static final class Relaxer implements Runnable
    {
        final int from;
        final int to;
        String failure;
        long ranIn;

        Relaxer(final int from, final int to)
        {
            this.from = from;
            this.to = to;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            try
            {
                for (int phase = 1; phase <= PHASES; phase++)
                {
                    final long[] before = grids[phase - 1];
                    final long[] after = grids[phase];
                    for (int i = from; i < to; i++)
                    {
                        after[i] = before[(i + SIZE - 1) % SIZE] + before[i] + before[(i + 1) % SIZE];
                    }
                    // Bounded, so that a barrier that never trips ends in a FAIL line rather than a hang.
                    barrier.await(10, TimeUnit.SECONDS);
                }
            }
            catch (final InterruptedException | BrokenBarrierException | TimeoutException ex)
            {
                failure = ex.toString();
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        grids[0][0] = 1;
        final Relaxer[] relaxers = {new Relaxer(0, SIZE / 2), new Relaxer(SIZE / 2, SIZE)};
        final Thread[] threads = new Thread[WORKERS];
        for (int i = 0; i < WORKERS; i++)
        {
            threads[i] = new Thread(relaxers[i], "relaxer-" + i);
            threads[i].start();
        }
        for (final Thread thread : threads)
        {
            thread.join(60_000);
        }

        final long[] expected = new long[SIZE];
        expected[0] = 1;
        for (int phase = 1; phase <= PHASES; phase++)
        {
            final long[] next = new long[SIZE];
            for (int i = 0; i < SIZE; i++)
            {
                next[i] = expected[(i + SIZE - 1) % SIZE] + expected[i] + expected[(i + 1) % SIZE];
            }
            System.arraycopy(next, 0, expected, 0, SIZE);
        }
        Check.that("answer", java.util.Arrays.equals(expected, grids[PHASES]) && null == relaxers[0].failure &&
            null == relaxers[1].failure, relaxers[0].failure + " / " + relaxers[1].failure);
        Check.that("moved", relaxers[0].ranIn != Check.pid() && relaxers[1].ranIn != Check.pid(),
            "a relaxer ran in the origin");
        System.out.println("DONE");
    }
}
