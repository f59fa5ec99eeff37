package dev.virgo.it.apps.sharing;

import java.util.ArrayList;
import java.util.List;

/**
 * What every program of the corpus prints besides its own work, for {@code SharedObjectsIT}: one {@code RAN} line per
 * worker (the pid it ran in) and one {@code RESULT} line. Called by {@code main} only, never by a worker.
 */
final class Report
{
    /** How long main waits for all its workers together; far beyond what any program needs. */
    static final long JOIN_TIMEOUT_MS = 30_000;

    private Report()
    {
    }

    static void ran(final String worker, final long pid)
    {
        System.out.println("RAN " + worker + " " + pid);
    }

    static void result(final String line)
    {
        System.out.println("RESULT " + line);
    }

    /**
     * Joins every thread within {@link #JOIN_TIMEOUT_MS} in all; a thread still running then is a {@code FAIL} line
     * and exit code 1 (its waits may be unbounded, e.g. a lost {@code notify}), so a broken run ends.
     */
    static void joinAll(final Thread... threads) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + JOIN_TIMEOUT_MS * 1_000_000L;
        final List<String> stuck = new ArrayList<>();
        for (final Thread thread : threads)
        {
            final long leftMs = Math.max(1, (deadlineNs - System.nanoTime()) / 1_000_000L);
            thread.join(leftMs);
            if (thread.isAlive())
            {
                stuck.add(thread.getName() + " (" + thread.getState() + ")");
            }
        }
        if (!stuck.isEmpty())
        {
            System.out.println("FAIL joined: still running after " + JOIN_TIMEOUT_MS + " ms: " + stuck);
            System.exit(1);
        }
    }
}
