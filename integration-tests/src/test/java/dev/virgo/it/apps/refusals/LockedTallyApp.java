package dev.virgo.it.apps.refusals;

import dev.virgo.it.apps.Check;

/** Two threads add to one tally inside {@code synchronized (lock)}: neither may lose the other's additions. */
public final class LockedTallyApp
{
    static final int TIMES = 100_000;

    static final class Tally
    {
        long total;
    }

    static final class Adder implements Runnable
    {
        private final Tally tally;
        private final Object lock;
        long ranIn;

        Adder(final Tally tally, final Object lock)
        {
            this.tally = tally;
            this.lock = lock;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            for (int i = 0; i < TIMES; i++)
            {
                synchronized (lock)
                {
                    tally.total++;
                }
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final Tally tally = new Tally();
        final Object lock = new Object();
        final Adder[] adders = {new Adder(tally, lock), new Adder(tally, lock)};
        final Thread[] threads = new Thread[adders.length];
        for (int i = 0; i < adders.length; i++)
        {
            threads[i] = new Thread(adders[i], "adder-" + i);
            threads[i].start();
        }
        for (final Thread thread : threads)
        {
            thread.join(30_000);
        }
        Check.that("answer", tally.total == 2L * TIMES, tally.total + ", expected " + 2L * TIMES);
        Check.that("ran-locally", adders[0].ranIn == Check.pid() && adders[1].ranIn == Check.pid(),
            "an adder ran in another JVM");
        System.out.println("DONE");
    }
}
