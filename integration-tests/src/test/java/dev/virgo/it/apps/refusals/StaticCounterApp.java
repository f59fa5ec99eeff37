package dev.virgo.it.apps.refusals;

import dev.virgo.it.apps.Check;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Workers take task numbers from one {@code static AtomicInteger} and store each result in a static array: every task
 * is done exactly once, by whichever worker took it. A copy of the counter would hand every task to every worker.
 */
public final class StaticCounterApp
{
    static final int TASKS = 2_000;
    static final AtomicInteger nextTask = new AtomicInteger();
    static final long[] results = new long[TASKS];
    static final int[] doneBy = new int[TASKS];

    static final class Worker implements Runnable
    {
        final int id;
        long ranIn;

        Worker(final int id)
        {
            this.id = id;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            int task;
            while ((task = nextTask.getAndIncrement()) < TASKS)
            {
                results[task] = (long)task * task;
                doneBy[task] += 1;
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final Worker[] workers = new Worker[3];
        final Thread[] threads = new Thread[workers.length];
        for (int i = 0; i < workers.length; i++)
        {
            workers[i] = new Worker(i);
            threads[i] = new Thread(workers[i], "worker-" + i);
            threads[i].start();
        }
        for (final Thread thread : threads)
        {
            thread.join(30_000);
        }

        long sum = 0;
        int doneOnce = 0;
        for (int task = 0; task < TASKS; task++)
        {
            sum += results[task];
            doneOnce += doneBy[task] == 1 ? 1 : 0;
        }
        final long expected = (long)(TASKS - 1) * TASKS * (2L * TASKS - 1) / 6;
        Check.that("answer", sum == expected && doneOnce == TASKS,
            "sum " + sum + " (expected " + expected + "), " + doneOnce + " of " + TASKS + " tasks done exactly once, " +
            "counter at " + nextTask.get());
        boolean moved = true;
        for (final Worker worker : workers)
        {
            moved &= worker.ranIn != Check.pid() && worker.ranIn != 0;
        }
        Check.that("moved", moved, "a worker ran in the origin");
        System.out.println("DONE");
    }
}
