package dev.virgo.it.heap.apps;

import dev.virgo.api.heap.GlobalAddress;
import dev.virgo.api.heap.SharedLongArray;
import dev.virgo.api.heap.SharedMemory;

import java.time.Duration;

/**
 * A cyclic barrier for the threads of a litmus or stress run, on two longs of the shared heap, cheaper than
 * {@code SharedCyclicBarrier} (which parks up to 1 ms between looks): a party adds itself to the arrival count with
 * get-and-add and spins (then yields) on a plain get until the count reaches the end of its generation. The
 * count only grows, so no reset races with early arrivals of the next generation. Any party can break the barrier; the
 * others then fail at once instead of waiting out the timeout.
 * <pre>
 *   +0                 +8
 *  +------------------+------------------+
 *  | arrivals (long)  | broken (long)    |
 *  +------------------+------------------+
 * </pre>
 * Holds no state of its own besides the view, so copies of it in moved threads' graphs act as one.
 */
final class SpinBarrier
{
    private static final int ARRIVALS = 0;
    private static final int BROKEN = 1;
    private static final int SPINS_BEFORE_YIELD = 64;

    private final SharedLongArray cells;
    private final int parties;
    private final long timeoutNs;

    private SpinBarrier(final SharedLongArray cells, final int parties, final long timeoutNs)
    {
        this.cells = cells;
        this.parties = parties;
        this.timeoutNs = timeoutNs;
    }

    static SpinBarrier create(final SharedMemory memory, final int parties, final Duration timeout)
    {
        return new SpinBarrier(SharedLongArray.allocate(memory, 2), parties, timeout.toNanos());
    }

    /** Waits until all parties arrived at this generation; fails if the barrier is broken or the timeout passes. */
    void await(final String who)
    {
        final long arrival = cells.getAndAdd(ARRIVALS, 1);
        final long target = (arrival / parties + 1) * parties;
        long deadlineNs = 0;
        int spins = 0;
        long arrivals;
        while ((arrivals = cells.get(ARRIVALS)) < target)
        {
            if (0 != cells.get(BROKEN))
            {
                throw new IllegalStateException(who + ": " + this + " broken by another party");
            }
            if (++spins < SPINS_BEFORE_YIELD)
            {
                Thread.onSpinWait();
                continue;
            }
            if (0 == deadlineNs)
            {
                deadlineNs = System.nanoTime() + timeoutNs;
            }
            else if (System.nanoTime() - deadlineNs > 0)
            {
                breakIt();
                throw new IllegalStateException(who + ": " + this + " timed out after " + timeoutNs / 1_000_000 +
                    " ms at arrival " + arrival + ": " + arrivals + " of " + target + " arrived");
            }
            Thread.yield();
        }
    }

    long timeoutNs()
    {
        return timeoutNs;
    }

    void breakIt()
    {
        cells.set(BROKEN, 1);
    }

    @Override
    public String toString()
    {
        return "SpinBarrier[" + GlobalAddress.toString(cells.address()) + ", parties=" + parties + "]";
    }
}
