package dev.virgo.api.heap.sync;

import dev.virgo.api.heap.GlobalAddress;
import dev.virgo.api.heap.SharedMemory;

import java.util.Objects;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A cyclic barrier across members, like {@link java.util.concurrent.CyclicBarrier}: {@code parties} threads, on any
 * members, wait in {@link #await} until all have arrived; then all leave and the barrier serves the next generation.
 * <pre>
 *   address +0                                             +8               +12
 *  +--+---------------------------------------------------+----------------+
 *  |b |  arrivals since creation (62 bits)                 | parties (int)  |
 *  +--+---------------------------------------------------+----------------+
 *   bit 62 (b): broken
 * </pre>
 * Arrivals only grow: arrival number {@code n} (0-based) belongs to generation {@code n / parties}, which trips when
 * arrivals reach {@code (n / parties + 1) * parties}; so no reset of a counter can race with early arrivals of the
 * next generation. An arrival is a compare-and-set that fails once the broken bit is set, so after a break the count
 * is frozen and "tripped" (count reached the target) and "broken" are never both true for one generation: every party
 * of a generation sees the same outcome.
 *
 * <p>As in {@code CyclicBarrier}, a party that times out or is interrupted while waiting breaks the barrier: the
 * other waiting parties, and any later arrival, get {@link BrokenBarrierException}. Unlike it, a broken barrier stays
 * broken (there is no {@code reset}: create a new one) and there is no barrier action (members run their own code
 * after {@code await} returns 0 on the last arrival).
 */
public final class SharedCyclicBarrier
{
    private static final int STATE_OFFSET = 0;
    private static final int PARTIES_OFFSET = 8;
    private static final int STATE_BYTES = 16;
    private static final long BROKEN = 1L << 62;
    private static final long ARRIVALS_MASK = BROKEN - 1;

    private final SharedMemory memory;
    private final long address;
    private final int parties;

    private SharedCyclicBarrier(final SharedMemory memory, final long address, final int parties)
    {
        this.memory = memory;
        this.address = address;
        this.parties = parties;
    }

    /** @return a new barrier for {@code parties} threads, homed at {@code memory}'s member. */
    public static SharedCyclicBarrier create(final SharedMemory memory, final int parties)
    {
        if (parties < 1)
        {
            throw new IllegalArgumentException("parties=" + parties + ": at least 1 expected");
        }
        final long address = memory.malloc(STATE_BYTES);
        memory.putInt(address + PARTIES_OFFSET, parties);
        return new SharedCyclicBarrier(memory, address, parties);
    }

    /** @return a handle on the barrier whose {@link #address()} is {@code address}. */
    public static SharedCyclicBarrier at(final SharedMemory memory, final long address)
    {
        Objects.requireNonNull(memory, "memory");
        Waits.checkStateAddress(address, "SharedCyclicBarrier");
        final int parties = memory.getInt(address + PARTIES_OFFSET);
        if (parties < 1)
        {
            throw new IllegalArgumentException("SharedCyclicBarrier at address=" + GlobalAddress.toString(address) +
                ": parties=" + parties + ", not a barrier's state");
        }
        return new SharedCyclicBarrier(memory, address, parties);
    }

    public long address()
    {
        return address;
    }

    public int getParties()
    {
        return parties;
    }

    public boolean isBroken()
    {
        return 0 != (memory.getLong(address + STATE_OFFSET) & BROKEN);
    }

    /** @return how many parties wait in the current generation now. */
    public int getNumberWaiting()
    {
        return (int)((memory.getLong(address + STATE_OFFSET) & ARRIVALS_MASK) % parties);
    }

    /**
     * Waits until all parties have arrived.
     *
     * @return the arrival index: {@code getParties() - 1} for the first to arrive, 0 for the last.
     * @throws BrokenBarrierException if the barrier is or becomes broken while this party waits.
     * @throws InterruptedException   if interrupted while waiting; this breaks the barrier.
     */
    public int await() throws InterruptedException, BrokenBarrierException
    {
        try
        {
            return await(Waits.NO_TIMEOUT);
        }
        catch (final TimeoutException ex)
        {
            throw new IllegalStateException("untimed wait timed out", ex);
        }
    }

    /**
     * As {@link #await()}, for at most {@code timeout}.
     *
     * @throws TimeoutException if the timeout passed before all arrived; this breaks the barrier.
     */
    public int await(final long timeout, final TimeUnit unit)
        throws InterruptedException, BrokenBarrierException, TimeoutException
    {
        return await(Waits.toNanos(timeout, unit));
    }

    private int await(final long timeoutNs) throws InterruptedException, BrokenBarrierException, TimeoutException
    {
        if (Thread.interrupted())
        {
            breakUnlessTripped(Long.MAX_VALUE);
            throw new InterruptedException();
        }
        final long arrival = arrive();
        final int index = parties - 1 - (int)(arrival % parties);
        if (0 == index)
        {
            return 0;
        }
        final long target = (arrival / parties + 1) * parties;
        final boolean ended;
        try
        {
            ended = Waits.await(() -> isTrippedOrBroken(target), timeoutNs);
        }
        catch (final InterruptedException ex)
        {
            if (breakUnlessTripped(target))
            {
                throw ex;
            }
            Thread.currentThread().interrupt();
            return index;
        }
        if (!ended)
        {
            if (breakUnlessTripped(target))
            {
                throw new TimeoutException("SharedCyclicBarrier at " + GlobalAddress.toString(address) + ": " +
                    parties + " parties did not arrive in " + timeoutNs + " ns");
            }
            return index;
        }
        if ((memory.getLong(address + STATE_OFFSET) & ARRIVALS_MASK) >= target)
        {
            return index;
        }
        throw new BrokenBarrierException();
    }

    /** @return this party's arrival number. */
    private long arrive() throws BrokenBarrierException
    {
        while (true)
        {
            final long state = memory.getLong(address + STATE_OFFSET);
            if (0 != (state & BROKEN))
            {
                throw new BrokenBarrierException();
            }
            if (memory.compareAndSetLong(address + STATE_OFFSET, state, state + 1))
            {
                return state;
            }
        }
    }

    private boolean isTrippedOrBroken(final long target)
    {
        final long state = memory.getLong(address + STATE_OFFSET);
        return 0 != (state & BROKEN) || (state & ARRIVALS_MASK) >= target;
    }

    /** @return true if the barrier is now broken, false if the generation ending at {@code target} tripped first. */
    private boolean breakUnlessTripped(final long target)
    {
        while (true)
        {
            final long state = memory.getLong(address + STATE_OFFSET);
            if ((state & ARRIVALS_MASK) >= target)
            {
                return false;
            }
            if (0 != (state & BROKEN) || memory.compareAndSetLong(address + STATE_OFFSET, state, state | BROKEN))
            {
                return true;
            }
        }
    }

    /** Returns the state to the heap; no member may use this barrier afterwards. */
    public void free()
    {
        memory.free(address);
    }

    @Override
    public String toString()
    {
        return "SharedCyclicBarrier[address=" + GlobalAddress.toString(address) + ", parties=" + parties + "]";
    }
}
