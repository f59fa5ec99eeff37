package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The work queue most programs write without a lock: main fills a {@code ConcurrentLinkedQueue} with 400 tasks, and
 * four workers each {@code poll()} until it is empty. Every task must be done exactly once: two workers that both took
 * the same task, or a task nobody took, is a wrong answer. Each worker, once it holds its first task, waits until every
 * worker holds one, so that all four really take from the queue at the same time.
 */
public final class ConcurrentWorkQueueApp
{
    static final int WORKERS = 4;
    static final int TASKS = 400;
    static final long GIVE_UP_NS = 10_000_000_000L;

    static final class Worker implements Runnable
    {
        private final Queue<Integer> tasks;
        private final AtomicInteger started;
        final List<Integer> done = new ArrayList<>();
        long ranIn;
        boolean overlapped;

        Worker(final Queue<Integer> tasks, final AtomicInteger started)
        {
            this.tasks = tasks;
            this.started = started;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            for (Integer task = tasks.poll(); null != task; task = tasks.poll())
            {
                done.add(task);
                if (1 == done.size())
                {
                    started.incrementAndGet();
                    final long giveUpAt = System.nanoTime() + GIVE_UP_NS;
                    while (started.get() < WORKERS && System.nanoTime() - giveUpAt < 0)
                    {
                        Thread.yield();
                    }
                    overlapped = started.get() == WORKERS;
                }
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final Queue<Integer> tasks = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < TASKS; i++)
        {
            tasks.offer(i);
        }
        final AtomicInteger started = new AtomicInteger();
        final Worker[] workers = new Worker[WORKERS];
        final Thread[] threads = new Thread[WORKERS];
        for (int w = 0; w < WORKERS; w++)
        {
            workers[w] = new Worker(tasks, started);
            threads[w] = new Thread(workers[w], "worker-" + w);
            threads[w].start();
        }
        Report.joinAll(threads);

        final int[] timesDone = new int[TASKS];
        boolean overlapped = true;
        for (int w = 0; w < WORKERS; w++)
        {
            Report.ran(threads[w].getName(), workers[w].ranIn);
            overlapped &= workers[w].overlapped;
            for (final int task : workers[w].done)
            {
                timesDone[task]++;
            }
        }
        int once = 0;
        int twice = 0;
        int never = 0;
        for (final int times : timesDone)
        {
            once += times == 1 ? 1 : 0;
            twice += times > 1 ? 1 : 0;
            never += times == 0 ? 1 : 0;
        }
        Report.result("doneOnce=" + once + " doneMoreThanOnce=" + twice + " neverDone=" + never +
            " overlapped=" + overlapped + " left=" + tasks.size());
    }
}
