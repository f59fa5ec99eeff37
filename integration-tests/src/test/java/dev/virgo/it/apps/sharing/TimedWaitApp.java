package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

/**
 * Two workers take turns through one monitor with timed waits: {@code wait(left)} in a loop that re-checks its
 * condition and its deadline. A notifier publishes a round, the waiter acknowledges it; a lost notify would leave a
 * side waiting out its whole patience and show as {@code timedOut=true}. At the end the waiter waits for something
 * nobody will do, and its timed wait must expire on time.
 */
public final class TimedWaitApp
{
    static final int ROUNDS = 50;
    static final long PATIENCE_MS = 5_000;
    static final long EXPIRY_MS = 20;

    static final class Box
    {
        int published;
        int acknowledged;
    }

    /** Waits on {@code box} until {@code box.published >= round} or {@code patienceMs} pass; true if it came. */
    static boolean awaitPublished(final Box box, final int round, final long patienceMs) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + patienceMs * 1_000_000L;
        while (box.published < round)
        {
            final long leftNs = deadlineNs - System.nanoTime();
            if (leftNs <= 0)
            {
                return false;
            }
            box.wait((leftNs + 999_999L) / 1_000_000L);
        }
        return true;
    }

    static final class Notifier implements Runnable
    {
        private final Box box;
        long ranIn;
        boolean timedOut;

        Notifier(final Box box)
        {
            this.box = box;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            try
            {
                for (int round = 1; round <= ROUNDS && !timedOut; round++)
                {
                    synchronized (box)
                    {
                        box.published = round;
                        box.notifyAll();
                        final long deadlineMs = System.currentTimeMillis() + PATIENCE_MS;
                        while (box.acknowledged < round && !timedOut)
                        {
                            final long leftMs = deadlineMs - System.currentTimeMillis();
                            timedOut = leftMs <= 0;
                            if (!timedOut)
                            {
                                box.wait(leftMs);
                            }
                        }
                    }
                }
            }
            catch (final InterruptedException ex)
            {
                timedOut = true;
            }
        }
    }

    static final class Waiter implements Runnable
    {
        private final Box box;
        long ranIn;
        int roundsSeen;
        boolean timedOut;
        boolean expiredOnTime;

        Waiter(final Box box)
        {
            this.box = box;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            try
            {
                for (int round = 1; round <= ROUNDS && !timedOut; round++)
                {
                    synchronized (box)
                    {
                        timedOut = !awaitPublished(box, round, PATIENCE_MS);
                        if (!timedOut)
                        {
                            roundsSeen++;
                            box.acknowledged = round;
                            box.notifyAll();
                        }
                    }
                }
                synchronized (box)
                {
                    final long startNs = System.nanoTime();
                    final boolean came = awaitPublished(box, ROUNDS + 1, EXPIRY_MS);
                    expiredOnTime = !came && System.nanoTime() - startNs >= EXPIRY_MS * 1_000_000L;
                }
            }
            catch (final InterruptedException ex)
            {
                timedOut = true;
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final Box box = new Box();
        final Waiter waiter = new Waiter(box);
        final Notifier notifier = new Notifier(box);
        final Thread[] threads = {new Thread(waiter, "waiter"), new Thread(notifier, "notifier")};
        for (final Thread thread : threads)
        {
            thread.start();
        }
        Report.joinAll(threads);

        Report.ran("waiter", waiter.ranIn);
        Report.ran("notifier", notifier.ranIn);
        Report.result("roundsSeen=" + waiter.roundsSeen + " acknowledged=" + box.acknowledged +
            " timedOut=" + (waiter.timedOut || notifier.timedOut) + " expiredOnTime=" + waiter.expiredOnTime);
    }
}
