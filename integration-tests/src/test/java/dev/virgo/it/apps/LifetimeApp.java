package dev.virgo.it.apps;

/**
 * Daemon moved threads never keep the origin alive; non-daemon ones do, as local threads would.
 * {@code daemon}: main ends while a daemon moved thread sleeps for ever. {@code non-daemon}: main ends first, and
 * the JVM waits for the moved thread to finish. {@code hold}: like daemon, but main then waits to be killed.
 * Main learns that the daemon worker is asleep from its remote state, through the contract itself.
 */
public final class LifetimeApp
{
    static final class Worker implements Runnable
    {
        final long sleepMs;

        Worker(final long sleepMs)
        {
            this.sleepMs = sleepMs;
        }

        @Override
        public void run()
        {
            System.out.println("worker started");
            try
            {
                Thread.sleep(sleepMs);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            System.out.println("worker finished");
        }
    }

    public static void main(final String[] args) throws Exception
    {
        final boolean daemon = !"non-daemon".equals(args[0]);
        final Thread thread = new Thread(new Worker(daemon ? 600_000 : 1_500), "worker");
        thread.setDaemon(daemon);
        thread.start();
        if (daemon)
        {
            final long deadline = System.nanoTime() + 60_000_000_000L;
            while (thread.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline)
            {
                thread.join(20);
            }
            System.out.println("worker is " + thread.getState());
        }
        if ("hold".equals(args[0]))
        {
            System.out.println("holding");
            Thread.sleep(120_000);
        }
        System.out.println("main finished");
    }
}
