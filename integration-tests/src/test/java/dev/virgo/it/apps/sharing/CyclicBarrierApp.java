package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

import java.util.Arrays;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Ten phases over a shared double-buffered array with a {@code CyclicBarrier} between them; the barrier's action
 * (run by the last thread to arrive) counts the phases and records the sum of the phase's values.
 */
public final class CyclicBarrierApp
{
    static final int WORKERS = 4;
    static final int PHASES = 10;
    static final long GIVE_UP_S = 10;

    static final class Worker implements Runnable
    {
        private final int index;
        private final long[][] values;
        private final CyclicBarrier barrier;
        long ranIn;
        String failure = "none";

        Worker(final int index, final long[][] values, final CyclicBarrier barrier)
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
                    barrier.await(GIVE_UP_S, TimeUnit.SECONDS);
                }
            }
            catch (final InterruptedException | BrokenBarrierException | TimeoutException ex)
            {
                failure = ex.getClass().getSimpleName();
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
        final long[] phaseSums = new long[PHASES];
        final int[] phasesDone = new int[1];
        final CyclicBarrier barrier = new CyclicBarrier(WORKERS, () ->
        {
            phaseSums[phasesDone[0]] = Arrays.stream(values[(phasesDone[0] + 1) % 2]).sum();
            phasesDone[0]++;
        });
        final Worker[] workers = new Worker[WORKERS];
        final Thread[] threads = new Thread[WORKERS];
        for (int i = 0; i < WORKERS; i++)
        {
            workers[i] = new Worker(i, values, barrier);
            threads[i] = new Thread(workers[i], "worker-" + i);
            threads[i].start();
        }
        Report.joinAll(threads);

        final StringBuilder failures = new StringBuilder();
        for (int i = 0; i < WORKERS; i++)
        {
            Report.ran(threads[i].getName(), workers[i].ranIn);
            failures.append(i == 0 ? "" : ",").append(workers[i].failure);
        }
        Report.result("values=" + Arrays.toString(values[PHASES % 2]) + " phases=" + phasesDone[0] +
            " phaseSums=" + Arrays.toString(phaseSums) + " failures=" + failures);
    }
}
