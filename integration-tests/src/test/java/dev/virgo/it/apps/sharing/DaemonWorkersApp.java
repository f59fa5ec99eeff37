package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Daemon workers that never end: each registers under a shared lock, then serves jobs from a mailbox forever
 * ({@code wait()} while it is empty), publishing each result under the lock. Main posts eight jobs, waits under the
 * lock until every result is in, prints, and returns; the program ends with the workers still waiting for work.
 */
public final class DaemonWorkersApp
{
    static final int WORKERS = 4;
    static final int JOBS = 8;
    static final long GIVE_UP_MS = 10_000;

    static final class Mailbox
    {
        final ArrayDeque<Integer> jobs = new ArrayDeque<>();
        final long[] results = new long[JOBS];
        final long[] ranIn = new long[WORKERS];
        int registered;
        int finished;
    }

    static final class Worker implements Runnable
    {
        private final Mailbox mailbox;
        private final int index;

        Worker(final Mailbox mailbox, final int index)
        {
            this.mailbox = mailbox;
            this.index = index;
        }

        @Override
        public void run()
        {
            synchronized (mailbox)
            {
                mailbox.ranIn[index] = Check.pid();
                mailbox.registered++;
                mailbox.notifyAll();
            }
            try
            {
                while (true)
                {
                    final int job;
                    synchronized (mailbox)
                    {
                        while (mailbox.jobs.isEmpty())
                        {
                            mailbox.wait();
                        }
                        job = mailbox.jobs.removeFirst();
                    }
                    long result = 0;
                    for (int k = 1; k <= 1_000 * (job + 1); k++)
                    {
                        result += k % (job + 3);
                    }
                    synchronized (mailbox)
                    {
                        mailbox.results[job] = result;
                        mailbox.finished++;
                        mailbox.notifyAll();
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
        final Mailbox mailbox = new Mailbox();
        for (int i = 0; i < WORKERS; i++)
        {
            final Thread thread = new Thread(new Worker(mailbox, i), "daemon-" + i);
            thread.setDaemon(true);
            thread.start();
        }
        synchronized (mailbox)
        {
            for (int job = 0; job < JOBS; job++)
            {
                mailbox.jobs.addLast(job);
            }
            mailbox.notifyAll();
            final long deadlineMs = System.currentTimeMillis() + GIVE_UP_MS;
            while ((mailbox.finished < JOBS || mailbox.registered < WORKERS) && System.currentTimeMillis() < deadlineMs)
            {
                mailbox.wait(Math.max(1, deadlineMs - System.currentTimeMillis()));
            }
            for (int i = 0; i < WORKERS; i++)
            {
                Report.ran("daemon-" + i, mailbox.ranIn[i]);
            }
            Report.result("finished=" + mailbox.finished + " registered=" + mailbox.registered +
                " results=" + Arrays.toString(mailbox.results));
        }
    }
}
