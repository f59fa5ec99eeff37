package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

import java.util.ArrayDeque;

/**
 * A work queue the pre-{@code java.util.concurrent} way: an {@code ArrayDeque} behind {@code synchronized} methods,
 * {@code wait()} while empty and {@code notifyAll()} on each put. Main waits until all four workers are waiting on the
 * empty queue (so they run at once), then puts 200 tasks and one poison pill per worker.
 */
public final class WorkQueueApp
{
    static final int WORKERS = 4;
    static final int TASKS = 200;
    static final int POISON = -1;
    static final long GIVE_UP_MS = 10_000;

    static final class WorkQueue
    {
        private final ArrayDeque<Integer> tasks = new ArrayDeque<>();
        private int waiting;
        private int mostWaiting;

        synchronized void put(final int task)
        {
            tasks.addLast(task);
            notifyAll();
        }

        synchronized int take() throws InterruptedException
        {
            if (tasks.isEmpty())
            {
                waiting++;
                mostWaiting = Math.max(mostWaiting, waiting);
                notifyAll();
                while (tasks.isEmpty())
                {
                    wait();
                }
                waiting--;
            }
            return tasks.removeFirst();
        }

        /** For main: waits (at most ten seconds) until this many workers wait on the empty queue together. */
        synchronized void awaitWaiting(final int workers) throws InterruptedException
        {
            final long deadlineMs = System.currentTimeMillis() + GIVE_UP_MS;
            while (mostWaiting < workers && System.currentTimeMillis() < deadlineMs)
            {
                wait(Math.max(1, deadlineMs - System.currentTimeMillis()));
            }
        }

        synchronized int mostWaiting()
        {
            return mostWaiting;
        }
    }

    static final class Worker implements Runnable
    {
        private final WorkQueue queue;
        long ranIn;
        int done;
        long sumOfSquares;

        Worker(final WorkQueue queue)
        {
            this.queue = queue;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            try
            {
                for (int task = queue.take(); task != POISON; task = queue.take())
                {
                    sumOfSquares += (long)task * task;
                    done++;
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
        final WorkQueue queue = new WorkQueue();
        final Worker[] workers = new Worker[WORKERS];
        final Thread[] threads = new Thread[WORKERS];
        for (int i = 0; i < WORKERS; i++)
        {
            workers[i] = new Worker(queue);
            threads[i] = new Thread(workers[i], "worker-" + i);
            threads[i].start();
        }
        queue.awaitWaiting(WORKERS);
        for (int task = 1; task <= TASKS; task++)
        {
            queue.put(task);
        }
        for (int i = 0; i < WORKERS; i++)
        {
            queue.put(POISON);
        }
        Report.joinAll(threads);

        int done = 0;
        long sumOfSquares = 0;
        for (int i = 0; i < WORKERS; i++)
        {
            Report.ran(threads[i].getName(), workers[i].ranIn);
            done += workers[i].done;
            sumOfSquares += workers[i].sumOfSquares;
        }
        Report.result("done=" + done + " sumOfSquares=" + sumOfSquares + " mostWaiting=" + queue.mostWaiting());
    }
}
