package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

import java.util.Arrays;

/**
 * Sibling workers kept in an array, each a {@code Thread} subclass that knows the array: worker {@code i} sums its
 * part of the input, joins worker {@code i-1} and reads its {@code prefix} field to compute its own (a prefix sum
 * chained through {@code join}). Worker 0 waits until the last sibling {@code isAlive()}, which it stays until worker 0
 * has ended, so all four run at once; the last checks every earlier sibling is {@code TERMINATED} and not alive.
 */
public final class SiblingWorkersApp
{
    static final int WORKERS = 4;
    static final int PART = 50;
    static final long GIVE_UP_NS = 10_000_000_000L;

    static final class Worker extends Thread
    {
        private final Worker[] siblings;
        private final int index;
        long ranIn;
        long prefix;
        boolean sawLastAlive;
        boolean sawEarlierEnded;

        Worker(final Worker[] siblings, final int index)
        {
            super("worker-" + index);
            this.siblings = siblings;
            this.index = index;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            long own = 0;
            for (int i = index * PART; i < (index + 1) * PART; i++)
            {
                own += (long)i * i;
            }
            try
            {
                if (index == 0)
                {
                    final long giveUpAt = System.nanoTime() + GIVE_UP_NS;
                    while (!siblings[WORKERS - 1].isAlive() && System.nanoTime() - giveUpAt < 0)
                    {
                        Thread.yield();
                    }
                    sawLastAlive = siblings[WORKERS - 1].isAlive();
                    prefix = own;
                    return;
                }
                siblings[index - 1].join();
                prefix = siblings[index - 1].prefix + own;
                if (index == WORKERS - 1)
                {
                    sawEarlierEnded = true;
                    for (int i = 0; i < index; i++)
                    {
                        sawEarlierEnded &= !siblings[i].isAlive() && siblings[i].getState() == State.TERMINATED;
                    }
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
        final Worker[] workers = new Worker[WORKERS];
        for (int i = 0; i < WORKERS; i++)
        {
            workers[i] = new Worker(workers, i);
        }
        for (final Worker worker : workers)
        {
            worker.start();
        }
        Report.joinAll(workers);

        final long[] prefixes = new long[WORKERS];
        for (int i = 0; i < WORKERS; i++)
        {
            Report.ran(workers[i].getName(), workers[i].ranIn);
            prefixes[i] = workers[i].prefix;
        }
        Report.result("prefixes=" + Arrays.toString(prefixes) + " firstSawLastAlive=" + workers[0].sawLastAlive +
            " lastSawEarlierEnded=" + workers[WORKERS - 1].sawEarlierEnded);
    }
}
