package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

/**
 * Workers wait on a shared monitor for a release that never comes; main waits (on the same monitor) until both are
 * waiting, then interrupts them. Each worker's {@code wait()} must throw {@code InterruptedException}, with the
 * monitor held again and the interrupt status cleared, and the worker reports it.
 */
public final class InterruptedWaitApp
{
    static final int WORKERS = 2;
    static final long GIVE_UP_MS = 10_000;

    static final class Gate
    {
        int waiting;
        boolean released;
    }

    static final class Waiter implements Runnable
    {
        private final Gate gate;
        long ranIn;
        boolean interrupted;
        boolean heldMonitorAfter;
        boolean statusClearedAfter;

        Waiter(final Gate gate)
        {
            this.gate = gate;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            synchronized (gate)
            {
                gate.waiting++;
                gate.notifyAll();
                try
                {
                    while (!gate.released)
                    {
                        gate.wait();
                    }
                }
                catch (final InterruptedException ex)
                {
                    interrupted = true;
                    heldMonitorAfter = Thread.holdsLock(gate);
                    statusClearedAfter = !Thread.currentThread().isInterrupted();
                }
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final Gate gate = new Gate();
        final Waiter[] waiters = new Waiter[WORKERS];
        final Thread[] threads = new Thread[WORKERS];
        for (int i = 0; i < WORKERS; i++)
        {
            waiters[i] = new Waiter(gate);
            threads[i] = new Thread(waiters[i], "waiter-" + i);
            threads[i].start();
        }
        final boolean allWaiting;
        synchronized (gate)
        {
            final long deadlineMs = System.currentTimeMillis() + GIVE_UP_MS;
            while (gate.waiting < WORKERS && System.currentTimeMillis() < deadlineMs)
            {
                gate.wait(Math.max(1, deadlineMs - System.currentTimeMillis()));
            }
            allWaiting = gate.waiting == WORKERS;
        }
        for (final Thread thread : threads)
        {
            thread.interrupt();
        }
        Report.joinAll(threads);

        int interrupted = 0;
        boolean heldMonitorAfter = true;
        boolean statusClearedAfter = true;
        for (int i = 0; i < WORKERS; i++)
        {
            Report.ran(threads[i].getName(), waiters[i].ranIn);
            interrupted += waiters[i].interrupted ? 1 : 0;
            heldMonitorAfter &= waiters[i].heldMonitorAfter;
            statusClearedAfter &= waiters[i].statusClearedAfter;
        }
        Report.result("allWaiting=" + allWaiting + " interrupted=" + interrupted +
            " heldMonitorAfter=" + heldMonitorAfter + " statusClearedAfter=" + statusClearedAfter +
            " released=" + gate.released);
    }
}
