package dev.virgo.api.heap.sync;

import dev.virgo.api.heap.GlobalAddress;
import dev.virgo.api.heap.SharedMemory;

import java.util.Objects;

/**
 * A {@code long} in the shared heap updated atomically from any member, like
 * {@link java.util.concurrent.atomic.AtomicLong}.
 * <pre>
 *   address +0                 +8
 *  +--------------------------+
 *  | value (long, 8-aligned)  |
 *  +--------------------------+
 * </pre>
 * {@link #get}/{@link #set} are the heap's plain accesses (sequentially consistent); the read-modify-write methods
 * are its get-and-add and compare-and-set (atomic across members). Instances hold no state of their own.
 */
public final class SharedAtomicLong
{
    private final SharedMemory memory;
    private final long address;

    private SharedAtomicLong(final SharedMemory memory, final long address)
    {
        this.memory = Objects.requireNonNull(memory, "memory");
        this.address = address;
    }

    /** @return a new atomic long holding 0, homed at {@code memory}'s member. */
    public static SharedAtomicLong create(final SharedMemory memory)
    {
        return new SharedAtomicLong(memory, memory.malloc(Long.BYTES));
    }

    /** @return a handle on the atomic long whose {@link #address()} is {@code address}. */
    public static SharedAtomicLong at(final SharedMemory memory, final long address)
    {
        return new SharedAtomicLong(memory, Waits.checkStateAddress(address, "SharedAtomicLong"));
    }

    public long address()
    {
        return address;
    }

    public long get()
    {
        return memory.getLong(address);
    }

    public void set(final long value)
    {
        memory.putLong(address, value);
    }

    public long getAndAdd(final long delta)
    {
        return memory.getAndAddLong(address, delta);
    }

    public long addAndGet(final long delta)
    {
        return memory.getAndAddLong(address, delta) + delta;
    }

    public long incrementAndGet()
    {
        return addAndGet(1);
    }

    public long decrementAndGet()
    {
        return addAndGet(-1);
    }

    public long getAndIncrement()
    {
        return getAndAdd(1);
    }

    public boolean compareAndSet(final long expect, final long update)
    {
        return memory.compareAndSetLong(address, expect, update);
    }

    public long getAndSet(final long value)
    {
        while (true)
        {
            final long current = get();
            if (compareAndSet(current, value))
            {
                return current;
            }
        }
    }

    /** Returns the state to the heap; no member may use this atomic long afterwards. */
    public void free()
    {
        memory.free(address);
    }

    @Override
    public String toString()
    {
        return "SharedAtomicLong[address=" + GlobalAddress.toString(address) + "]";
    }
}
