package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The two latches of {@code CountDownLatch}'s javadoc: workers count down {@code ready}, wait at a start gate main
 * opens once all are ready (so all four run at once), each write their share into a shared array, and count down
 * {@code done}; main reads the array after {@code done.await()}, before it joins anyone.
 */
public final class LatchApp
{
    static final int WORKERS = 4;
    static final int SHARE = 50;
    static final long GIVE_UP_S = 10;

    static final class Worker implements Runnable
    {
        private final int index;
        private final long[] shares;
        private final CountDownLatch ready;
        private final CountDownLatch startGate;
        private final CountDownLatch done;
        long ranIn;
        boolean passedGate;

        Worker(final int index, final long[] shares, final CountDownLatch ready, final CountDownLatch startGate,
            final CountDownLatch done)
        {
            this.index = index;
            this.shares = shares;
            this.ready = ready;
            this.startGate = startGate;
            this.done = done;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            try
            {
                ready.countDown();
                passedGate = startGate.await(GIVE_UP_S, TimeUnit.SECONDS);
                long share = 0;
                for (int i = index * SHARE; i < (index + 1) * SHARE; i++)
                {
                    share += (long)i * i * i;
                }
                shares[index] = share;
                done.countDown();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final long[] shares = new long[WORKERS];
        final CountDownLatch ready = new CountDownLatch(WORKERS);
        final CountDownLatch startGate = new CountDownLatch(1);
        final CountDownLatch done = new CountDownLatch(WORKERS);
        final Worker[] workers = new Worker[WORKERS];
        final Thread[] threads = new Thread[WORKERS];
        for (int i = 0; i < WORKERS; i++)
        {
            workers[i] = new Worker(i, shares, ready, startGate, done);
            threads[i] = new Thread(workers[i], "worker-" + i);
            threads[i].start();
        }
        final boolean allReady = ready.await(GIVE_UP_S, TimeUnit.SECONDS);
        startGate.countDown();
        final boolean allDone = done.await(GIVE_UP_S, TimeUnit.SECONDS);
        long total = 0;
        for (final long share : shares)
        {
            total += share;
        }
        Report.joinAll(threads);

        boolean allPassedGate = true;
        for (int i = 0; i < WORKERS; i++)
        {
            Report.ran(threads[i].getName(), workers[i].ranIn);
            allPassedGate &= workers[i].passedGate;
        }
        Report.result("allReady=" + allReady + " allPassedGate=" + allPassedGate + " allDone=" + allDone +
            " totalBeforeJoin=" + total);
    }
}
