package dev.virgo.it.heap.apps;

import dev.virgo.api.heap.SharedLongArray;
import dev.virgo.api.heap.SharedMemory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Lines up the iterations of threads in different JVMs in time, so that they race. A barrier cannot: its last arriver
 * goes on at once, the others only once a read miss brought them the news, a round trip later, by which time a short
 * iteration of the last arriver is over. Instead the threads meet at a {@link SpinBarrier} once per batch of
 * iterations, the leader publishes an instant a little ahead ({@link #LEAD}), and every thread starts iteration
 * {@code j} of the batch at that instant plus {@code j} periods.
 *
 * <p>This relies on {@link System#nanoTime()} being one clock for all the JVMs, as it is for processes on one Linux
 * host (the monotonic clock), where Virgo's local nodes run. Elsewhere the iterations merely would not line up: that
 * makes races rarer, never a correct heap fail. A thread that falls behind starts its iterations at once until it
 * has caught up.
 */
final class Pacer
{
    /** How far ahead of its publication a batch starts: time for the others to read it. */
    static final Duration LEAD = Duration.ofMillis(3);
    private static final long SPIN_NS = 20_000;

    private final SpinBarrier barrier;
    private final SharedLongArray starts;
    private final int batch;
    private final long periodNs;

    private Pacer(final SpinBarrier barrier, final SharedLongArray starts, final int batch, final long periodNs)
    {
        this.barrier = barrier;
        this.starts = starts;
        this.batch = batch;
        this.periodNs = periodNs;
    }

    static Pacer create(final SharedMemory memory, final int parties, final int iterations, final int batch,
        final Duration period, final Duration timeout)
    {
        return new Pacer(SpinBarrier.create(memory, parties, timeout),
            SharedLongArray.allocate(memory, (iterations + batch - 1) / batch), batch, period.toNanos());
    }

    /** @return true if iteration {@code j} (from 0) begins a batch: call {@link #startBatch} before it. */
    boolean beginsBatch(final int j)
    {
        return j % batch == 0;
    }

    /** Meets the others, then @return the instant the batch that begins with iteration {@code j} starts. */
    long startBatch(final String who, final boolean leads, final int j)
    {
        final int batchIndex = j / batch;
        barrier.await(who + " before iteration " + j);
        if (leads)
        {
            starts.set(batchIndex, System.nanoTime() + LEAD.toNanos());
        }
        final long deadlineNs = System.nanoTime() + barrier.timeoutNs();
        long startNs;
        while ((startNs = starts.get(batchIndex)) == 0)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                barrier.breakIt();
                throw new IllegalStateException(who + ": the leader did not publish when batch " + batchIndex +
                    " starts within " + TimeUnit.NANOSECONDS.toMillis(barrier.timeoutNs()) + " ms");
            }
            Thread.yield();
        }
        return startNs;
    }

    /**
     * Waits until iteration {@code j} should start, in the batch that starts at {@code batchStartNs}.
     *
     * @return how late that is, in nanoseconds (0 when on time).
     */
    long awaitIteration(final long batchStartNs, final int j)
    {
        final long atNs = batchStartNs + (j % batch) * periodNs;
        long leftNs;
        while ((leftNs = atNs - System.nanoTime()) > 0)
        {
            if (leftNs > SPIN_NS)
            {
                Thread.yield();
            }
            else
            {
                Thread.onSpinWait();
            }
        }
        return -leftNs;
    }

    void breakIt()
    {
        barrier.breakIt();
    }

    long periodNs()
    {
        return periodNs;
    }
}
