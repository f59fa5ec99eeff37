package dev.virgo.api.heap.sync;

import java.util.concurrent.locks.LockSupport;

/**
 * How a waiter idles between looks at shared state: spin briefly (the change may be a few hundred nanoseconds away),
 * then yield, then park for a time that doubles up to 1 ms, so that a long wait costs almost no CPU and each look
 * (a read miss once the page was invalidated) stays cheap for the member that writes.
 */
final class Backoff
{
    static final int SPINS = 16;
    static final int YIELDS = 8;
    static final long MIN_PARK_NS = 1_000;
    static final long MAX_PARK_NS = 1_000_000;

    private int idles;
    private long parkNs = MIN_PARK_NS;

    /** Idles once, never longer than {@code maxNs}. */
    void idle(final long maxNs)
    {
        if (idles < SPINS)
        {
            idles++;
            Thread.onSpinWait();
        }
        else if (idles < SPINS + YIELDS)
        {
            idles++;
            Thread.yield();
        }
        else
        {
            LockSupport.parkNanos(Math.min(parkNs, maxNs));
            parkNs = Math.min(parkNs << 1, MAX_PARK_NS);
        }
    }
}
