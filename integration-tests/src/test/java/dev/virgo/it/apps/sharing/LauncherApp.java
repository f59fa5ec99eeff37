package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

/**
 * Main creates the workers (a {@code Thread} subclass) and one launcher thread that holds them; only the launcher is
 * started by main. The launcher starts every worker, joins each and adds their results: a thread that starts and joins
 * threads the program made. Each worker squares its part of a range into its own field.
 */
public final class LauncherApp
{
    static final int WORKERS = 4;
    static final int PART = 100;

    static final class Worker extends Thread
    {
        private final int index;
        long ranIn;
        long sum;

        Worker(final int index)
        {
            super("worker-" + index);
            this.index = index;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            for (int i = index * PART; i < (index + 1) * PART; i++)
            {
                sum += (long)i * i;
            }
        }
    }

    static final class Launcher implements Runnable
    {
        private final Worker[] workers;
        long ranIn;
        long total;
        boolean allNewBefore = true;
        boolean allEndedAfter = true;

        Launcher(final Worker[] workers)
        {
            this.workers = workers;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            for (final Worker worker : workers)
            {
                allNewBefore &= worker.getState() == Thread.State.NEW;
                worker.start();
            }
            try
            {
                for (final Worker worker : workers)
                {
                    worker.join();
                    total += worker.sum;
                    allEndedAfter &= !worker.isAlive() && worker.getState() == Thread.State.TERMINATED;
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
            workers[i] = new Worker(i);
        }
        final Launcher launcher = new Launcher(workers);
        final Thread launcherThread = new Thread(launcher, "launcher");
        launcherThread.start();
        Report.joinAll(launcherThread);
        for (final Worker worker : workers)
        {
            worker.join(Report.JOIN_TIMEOUT_MS);
        }

        Report.ran("launcher", launcher.ranIn);
        for (final Worker worker : workers)
        {
            Report.ran(worker.getName(), worker.ranIn);
        }
        Report.result("total=" + launcher.total + " allNewBefore=" + launcher.allNewBefore +
            " allEndedAfter=" + launcher.allEndedAfter);
    }
}
