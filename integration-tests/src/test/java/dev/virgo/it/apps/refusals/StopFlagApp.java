package dev.virgo.it.apps.refusals;

import dev.virgo.it.apps.Check;

import java.util.concurrent.TimeUnit;

/**
 * A persistent worker thread polls until {@code main} clears its {@code volatile boolean running} flag. A copy of the
 * worker would never see the flag cleared, and would poll forever.
 */
public final class StopFlagApp
{
    static final long GIVE_UP_NS = TimeUnit.SECONDS.toNanos(15);

    static final class Poller extends Thread
    {
        private volatile boolean running = true;
        volatile long polls;
        long ranIn;

        Poller(final String name)
        {
            super(name);
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            // Bounded, so that a copy that never sees the flag ends in a FAIL line rather than a hang.
            final long giveUpAt = System.nanoTime() + GIVE_UP_NS;
            while (running && System.nanoTime() - giveUpAt < 0)
            {
                polls++;
            }
        }

        void shutdown()
        {
            running = false;
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        for (int i = 0; i < 2; i++)
        {
            final Poller poller = new Poller("poller-" + i);
            poller.start();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (poller.polls == 0 && System.nanoTime() - deadline < 0)
            {
                Thread.yield();
            }
            final boolean sawPolling = poller.polls > 0;
            poller.shutdown();
            poller.join(5_000);
            Check.that("answer-" + i, sawPolling && !poller.isAlive(),
                "polling seen: " + sawPolling + ", still running after its flag was cleared: " + poller.isAlive());
            Check.that("ran-locally-" + i, poller.ranIn == Check.pid(), "the poller ran in another JVM");
        }
        System.out.println("DONE");
    }
}
