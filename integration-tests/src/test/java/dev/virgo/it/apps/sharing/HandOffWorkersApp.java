package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

import java.util.Arrays;

/**
 * A master (main) drives persistent worker threads by writing their fields under their own monitor: for each of ten
 * rounds it hands each worker a task ({@code task}, {@code hasTask}, {@code notify()}), then collects each result the
 * same way ({@code wait()} until {@code hasResult}). The workers are {@code Thread} subclasses that wait on themselves
 * between tasks, and stop when told to.
 */
public final class HandOffWorkersApp
{
    static final int WORKERS = 2;
    static final int ROUNDS = 10;
    static final long GIVE_UP_MS = 10_000;

    static final class Worker extends Thread
    {
        private int task;
        private boolean hasTask;
        private long result;
        private boolean hasResult;
        private boolean stop;
        long ranIn;
        int tasksDone;

        Worker(final String name)
        {
            super(name);
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            try
            {
                synchronized (this)
                {
                    while (true)
                    {
                        while (!hasTask && !stop)
                        {
                            wait();
                        }
                        if (!hasTask)
                        {
                            return;
                        }
                        long sum = 0;
                        for (int k = 1; k <= task; k++)
                        {
                            sum += (long)k * task;
                        }
                        result = sum;
                        hasTask = false;
                        hasResult = true;
                        tasksDone++;
                        notify();
                    }
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }

        /** Called by the master. */
        synchronized void hand(final int task)
        {
            this.task = task;
            hasTask = true;
            notify();
        }

        /** Called by the master: the result of the task handed last, or -1 after the give-up. */
        synchronized long collect() throws InterruptedException
        {
            final long deadlineMs = System.currentTimeMillis() + GIVE_UP_MS;
            while (!hasResult && System.currentTimeMillis() < deadlineMs)
            {
                wait(Math.max(1, deadlineMs - System.currentTimeMillis()));
            }
            if (!hasResult)
            {
                return -1;
            }
            hasResult = false;
            return result;
        }

        synchronized void shutdown()
        {
            stop = true;
            notify();
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final Worker[] workers = new Worker[WORKERS];
        for (int i = 0; i < WORKERS; i++)
        {
            workers[i] = new Worker("worker-" + i);
            workers[i].start();
        }
        final long[] roundTotals = new long[ROUNDS];
        for (int round = 0; round < ROUNDS; round++)
        {
            for (int i = 0; i < WORKERS; i++)
            {
                workers[i].hand(round * 10 + i + 1);
            }
            for (int i = 0; i < WORKERS; i++)
            {
                roundTotals[round] += workers[i].collect();
            }
        }
        for (final Worker worker : workers)
        {
            worker.shutdown();
        }
        Report.joinAll(workers);

        int tasksDone = 0;
        for (final Worker worker : workers)
        {
            Report.ran(worker.getName(), worker.ranIn);
            tasksDone += worker.tasksDone;
        }
        Report.result("roundTotals=" + Arrays.toString(roundTotals) + " tasksDone=" + tasksDone);
    }
}
