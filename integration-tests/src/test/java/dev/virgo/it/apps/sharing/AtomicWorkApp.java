package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Work handed out through a static {@code AtomicInteger}: four workers claim task numbers with
 * {@code getAndIncrement()} and write each result into a static array at the task's index; a second atomic counts the
 * finished tasks, and each worker waits until it shows them all.
 */
public final class AtomicWorkApp
{
    static final int WORKERS = 4;
    static final int TASKS = 200;
    static final long GIVE_UP_NS = 10_000_000_000L;

    static final AtomicInteger NEXT_TASK = new AtomicInteger();
    static final AtomicInteger FINISHED = new AtomicInteger();
    static final long[] RESULTS = new long[TASKS];

    static final class Worker implements Runnable
    {
        long ranIn;
        int claimed;
        boolean sawAll;

        @Override
        public void run()
        {
            ranIn = Check.pid();
            for (int task = NEXT_TASK.getAndIncrement(); task < TASKS; task = NEXT_TASK.getAndIncrement())
            {
                long result = 1;
                for (int k = 0; k <= task; k++)
                {
                    result += (long)k * k;
                }
                RESULTS[task] = result;
                claimed++;
                FINISHED.incrementAndGet();
            }
            final long giveUpAt = System.nanoTime() + GIVE_UP_NS;
            while (!sawAll && System.nanoTime() - giveUpAt < 0)
            {
                sawAll = FINISHED.get() == TASKS;
                Thread.yield();
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final Worker[] workers = new Worker[WORKERS];
        final Thread[] threads = new Thread[WORKERS];
        for (int i = 0; i < WORKERS; i++)
        {
            workers[i] = new Worker();
            threads[i] = new Thread(workers[i], "worker-" + i);
            threads[i].start();
        }
        Report.joinAll(threads);

        long total = 0;
        int filled = 0;
        for (final long result : RESULTS)
        {
            total += result;
            filled += result > 0 ? 1 : 0;
        }
        int claimed = 0;
        boolean allSawAll = true;
        for (int i = 0; i < WORKERS; i++)
        {
            Report.ran(threads[i].getName(), workers[i].ranIn);
            claimed += workers[i].claimed;
            allSawAll &= workers[i].sawAll;
        }
        Report.result("total=" + total + " filled=" + filled + " claimed=" + claimed + " allSawAll=" + allSawAll);
    }
}
