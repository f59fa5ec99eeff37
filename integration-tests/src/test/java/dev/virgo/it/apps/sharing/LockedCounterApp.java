package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

/**
 * Four workers increment one counter inside {@code synchronized (lock)}. Each then waits, reading under the same lock,
 * until the counter shows every worker's increments: so all four were running at once.
 */
public final class LockedCounterApp
{
    static final int WORKERS = 4;
    static final int INCREMENTS = 200;
    static final long GIVE_UP_NS = 10_000_000_000L;

    static final class Counter
    {
        long value;
    }

    static final class Worker implements Runnable
    {
        private final Counter counter;
        private final Object lock;
        long ranIn;
        boolean sawTotal;

        Worker(final Counter counter, final Object lock)
        {
            this.counter = counter;
            this.lock = lock;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            for (int i = 0; i < INCREMENTS; i++)
            {
                synchronized (lock)
                {
                    counter.value++;
                }
            }
            final long giveUpAt = System.nanoTime() + GIVE_UP_NS;
            while (!sawTotal && System.nanoTime() - giveUpAt < 0)
            {
                synchronized (lock)
                {
                    sawTotal = counter.value == (long)WORKERS * INCREMENTS;
                }
                Thread.yield();
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final Counter counter = new Counter();
        final Object lock = new Object();
        final Worker[] workers = new Worker[WORKERS];
        final Thread[] threads = new Thread[WORKERS];
        for (int i = 0; i < WORKERS; i++)
        {
            workers[i] = new Worker(counter, lock);
            threads[i] = new Thread(workers[i], "worker-" + i);
            threads[i].start();
        }
        Report.joinAll(threads);

        boolean allSawTotal = true;
        for (int i = 0; i < WORKERS; i++)
        {
            Report.ran(threads[i].getName(), workers[i].ranIn);
            allSawTotal &= workers[i].sawTotal;
        }
        Report.result("counter=" + counter.value + " allSawTotal=" + allSawTotal);
    }
}
