package dev.virgo.api.heap.sync;

import dev.virgo.api.heap.GlobalAddress;
import dev.virgo.api.heap.SharedMemory;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A count-down latch across members, like {@link java.util.concurrent.CountDownLatch}: threads on any member
 * {@link #await} until threads on any members have called {@link #countDown} as many times as the initial count.
 * <pre>
 *   address +0                        +8
 *  +---------------------------------+
 *  | count (long, never below 0)     |
 *  +---------------------------------+
 * </pre>
 * {@link #countDown} is a compare-and-set loop that stops at zero; {@link #await} spins with back-off on a plain get
 * until the count reads zero. Sequential consistency of the heap means what a thread wrote before its
 * {@code countDown} is visible to every thread that returns from {@code await}.
 */
public final class SharedCountDownLatch
{
    private final SharedMemory memory;
    private final long address;

    private SharedCountDownLatch(final SharedMemory memory, final long address)
    {
        this.memory = Objects.requireNonNull(memory, "memory");
        this.address = address;
    }

    /** @return a new latch that opens after {@code count} count-downs, homed at {@code memory}'s member. */
    public static SharedCountDownLatch create(final SharedMemory memory, final long count)
    {
        if (count < 0)
        {
            throw new IllegalArgumentException("count=" + count + ": must not be negative");
        }
        final long address = memory.malloc(Long.BYTES);
        memory.putLong(address, count);
        return new SharedCountDownLatch(memory, address);
    }

    /** @return a handle on the latch whose {@link #address()} is {@code address}. */
    public static SharedCountDownLatch at(final SharedMemory memory, final long address)
    {
        return new SharedCountDownLatch(memory, Waits.checkStateAddress(address, "SharedCountDownLatch"));
    }

    public long address()
    {
        return address;
    }

    /** Decrements the count unless it is already zero. */
    public void countDown()
    {
        while (true)
        {
            final long count = memory.getLong(address);
            if (0 == count || memory.compareAndSetLong(address, count, count - 1))
            {
                return;
            }
        }
    }

    public long getCount()
    {
        return memory.getLong(address);
    }

    /** Waits until the count is zero. */
    public void await() throws InterruptedException
    {
        Waits.await(this::isOpen, Waits.NO_TIMEOUT);
    }

    /** @return true if the count reached zero, false if {@code timeout} passed first. */
    public boolean await(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return Waits.await(this::isOpen, Waits.toNanos(timeout, unit));
    }

    private boolean isOpen()
    {
        return 0 == memory.getLong(address);
    }

    /** Returns the state to the heap; no member may use this latch afterwards. */
    public void free()
    {
        memory.free(address);
    }

    @Override
    public String toString()
    {
        return "SharedCountDownLatch[address=" + GlobalAddress.toString(address) + ", count=" + getCount() + "]";
    }
}
