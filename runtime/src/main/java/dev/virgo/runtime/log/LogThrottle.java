package dev.virgo.runtime.log;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Bounds the lines one kind of event writes to the log: the first {@code burstLines} of each window are written, the
 * rest only counted, and once the window is over one line says how many were not shown and how many there were in
 * all. What comes from the network is the reason: a sender of forged or malformed frames, one line per frame, would
 * otherwise fill the disk and bury the lines that matter, while the count still tells the operator the size of it.
 * <p>
 * A summary is written by the next event after its window, or by {@link #poll()}, which a conductor calls from its
 * duty cycle so that the last count of a flood that stopped is not held back until the next event. Thread-safe: a
 * transport's error handler is called from Aeron's threads as well as the poller's. The clock is injected so that the
 * windows are tested by advancing it.
 */
public final class LogThrottle
{
    /** Lines shown per window before the rest are only counted. */
    public static final int DEFAULT_BURST_LINES = 100;
    /** At most one summary per window. */
    public static final long DEFAULT_WINDOW_NS = TimeUnit.SECONDS.toNanos(10);

    private final String what;
    private final int burstLines;
    private final long windowNs;
    private final LongSupplier nanoClock;
    private final Consumer<String> out;
    private long windowStartNs;
    private int shownInWindow;
    private long suppressedInWindow;
    private long total;

    /**
     * @param what       names the kind of event in the summary line, e.g. {@code "refused messages"}.
     * @param burstLines lines written per window, at least 1.
     * @param windowNs   the window's length.
     * @param nanoClock  e.g. {@code System::nanoTime}.
     * @param out        where lines and summaries go.
     */
    public LogThrottle(
        final String what, final int burstLines, final long windowNs, final LongSupplier nanoClock,
        final Consumer<String> out)
    {
        if (burstLines < 1 || windowNs <= 0)
        {
            throw new IllegalArgumentException(what + ": burstLines=" + burstLines + " windowNs=" + windowNs +
                ": at least one line per positive window expected");
        }
        this.what = what;
        this.burstLines = burstLines;
        this.windowNs = windowNs;
        this.nanoClock = nanoClock;
        this.out = out;
        this.windowStartNs = nanoClock.getAsLong();
    }

    /** @return a throttle of {@link VirgoLog#warn} lines, {@link #DEFAULT_BURST_LINES} per {@link #DEFAULT_WINDOW_NS}. */
    public static LogThrottle warnings(final String what)
    {
        return new LogThrottle(what, DEFAULT_BURST_LINES, DEFAULT_WINDOW_NS, System::nanoTime, VirgoLog::warn);
    }

    /**
     * Counts one event and writes its line unless this window's lines are used up.
     *
     * @param line the event's line; built by the caller even when suppressed, which costs less than the I/O saved.
     * @return true when the line was written.
     */
    public synchronized boolean log(final String line)
    {
        total++;
        rollWindow(nanoClock.getAsLong());
        if (shownInWindow < burstLines)
        {
            shownInWindow++;
            out.accept(line);
            return true;
        }
        suppressedInWindow++;
        return false;
    }

    /**
     * Writes the summary of a window that is over and suppressed lines, if any.
     *
     * @return 1 when a summary was written, else 0 (work done, for an idle strategy).
     */
    public synchronized int poll()
    {
        return rollWindow(nanoClock.getAsLong()) ? 1 : 0;
    }

    /** @return every event counted so far, shown or not. */
    public synchronized long total()
    {
        return total;
    }

    private boolean rollWindow(final long nowNs)
    {
        if (nowNs - windowStartNs < windowNs)
        {
            return false;
        }
        boolean summarized = false;
        if (suppressedInWindow > 0)
        {
            out.accept(what + ": " + suppressedInWindow + " more not shown in the last " +
                TimeUnit.NANOSECONDS.toMillis(nowNs - windowStartNs) + " ms (" + total + " in all)");
            summarized = true;
        }
        windowStartNs = nowNs;
        shownInWindow = 0;
        suppressedInWindow = 0;
        return summarized;
    }
}
