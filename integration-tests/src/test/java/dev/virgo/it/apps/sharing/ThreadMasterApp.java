package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

/**
 * A master that is itself a {@code Thread} subclass and holds the work: its {@code run()} starts four workers that
 * read the master's fields (the input and its length), add their partial sums into the master's {@code total} inside
 * {@code synchronized (master)}, and wait, reading under the master's monitor, until all have reported. Only the
 * workers are chosen to move ({@code offload=...ThreadMasterApp$Worker}): the master runs in the origin, and is an
 * object the workers share.
 */
public final class ThreadMasterApp
{
    static final int WORKERS = 4;
    static final int INPUT = 200;
    static final long GIVE_UP_NS = 10_000_000_000L;

    static final class Master extends Thread
    {
        final int[] input = new int[INPUT];
        final int chunk = INPUT / WORKERS;
        final Worker[] workers = new Worker[WORKERS];
        long total;
        int reported;

        Master()
        {
            super("master");
            for (int i = 0; i < INPUT; i++)
            {
                input[i] = i * 3 + 1;
            }
        }

        @Override
        public void run()
        {
            final Thread[] threads = new Thread[WORKERS];
            for (int i = 0; i < WORKERS; i++)
            {
                workers[i] = new Worker(this, i);
                threads[i] = new Thread(workers[i], "worker-" + i);
                threads[i].start();
            }
            try
            {
                for (final Thread thread : threads)
                {
                    thread.join(Report.JOIN_TIMEOUT_MS);
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    static final class Worker implements Runnable
    {
        private final Master master;
        private final int index;
        long ranIn;
        boolean sawAllReported;

        Worker(final Master master, final int index)
        {
            this.master = master;
            this.index = index;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            long partial = 0;
            for (int i = index * master.chunk; i < (index + 1) * master.chunk; i++)
            {
                partial += master.input[i];
            }
            synchronized (master)
            {
                master.total += partial;
                master.reported++;
            }
            final long giveUpAt = System.nanoTime() + GIVE_UP_NS;
            while (!sawAllReported && System.nanoTime() - giveUpAt < 0)
            {
                synchronized (master)
                {
                    sawAllReported = master.reported == WORKERS;
                }
                Thread.yield();
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final Master master = new Master();
        master.start();
        Report.joinAll(master);

        boolean allSawAllReported = true;
        for (int i = 0; i < WORKERS; i++)
        {
            Report.ran("worker-" + i, master.workers[i].ranIn);
            allSawAllReported &= master.workers[i].sawAllReported;
        }
        Report.result("total=" + master.total + " reported=" + master.reported +
            " allSawAllReported=" + allSawAllReported);
    }
}
