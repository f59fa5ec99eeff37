package dev.virgo.api.heap;

import dev.virgo.api.heap.SharedMemory;

import java.util.Objects;

/**
 * An {@code int[]} in the shared heap. Element {@code i} is the 4 bytes at {@code address() + 4 * i} (little-endian),
 * so every element is 4-byte aligned and {@link #getAndAdd} and {@link #compareAndSet} are the heap's atomics.
 * <pre>
 *   address +0        +4        +8              +4*(length-1)
 *  +---------+---------+---------+-- ... --+-----------------+
 *  | int 0   | int 1   | int 2   |         | int length-1    |
 *  +---------+---------+---------+-- ... --+-----------------+
 * </pre>
 * Each access is one access to {@link SharedMemory}: plain gets and sets are sequentially consistent, the atomics are
 * atomic, across all members. An index outside {@code [0, length)} is an {@link IndexOutOfBoundsException} naming the
 * index and the length, thrown before memory is touched. Instances are thread-safe (they hold no state of their own).
 */
public final class SharedIntArray
{
    private static final int ELEMENT_BYTES = 4;

    private final SharedMemory memory;
    private final long address;
    private final int length;

    private SharedIntArray(final SharedMemory memory, final long address, final int length)
    {
        this.memory = memory;
        this.address = address;
        this.length = length;
    }

    /** @return a new array of {@code length} zeros, homed at {@code memory}'s member. */
    public static SharedIntArray allocate(final SharedMemory memory, final int length)
    {
        return new SharedIntArray(memory, Views.allocate(memory, length, ELEMENT_BYTES), length);
    }

    /** @return a view of {@code length} ints that already live at {@code address} (e.g. allocated by another member). */
    public static SharedIntArray at(final SharedMemory memory, final long address, final int length)
    {
        return new SharedIntArray(memory, Views.checkAt(memory, address, length, ELEMENT_BYTES), length);
    }

    public long address()
    {
        return address;
    }

    public int length()
    {
        return length;
    }

    public int get(final int index)
    {
        return memory.getInt(elementAddress(index));
    }

    public void set(final int index, final int value)
    {
        memory.putInt(elementAddress(index), value);
    }

    /** Atomically adds {@code delta} to element {@code index}; @return its previous value. */
    public int getAndAdd(final int index, final int delta)
    {
        return memory.getAndAddInt(elementAddress(index), delta);
    }

    /** Atomically sets element {@code index} to {@code update} if it holds {@code expect}; @return true if it did. */
    public boolean compareAndSet(final int index, final int expect, final int update)
    {
        return memory.compareAndSetInt(elementAddress(index), expect, update);
    }

    /** Returns the memory to the heap (see {@link SharedMemory#free}); no member may use this array afterwards. */
    public void free()
    {
        memory.free(address);
    }

    private long elementAddress(final int index)
    {
        return address + (long)Objects.checkIndex(index, length) * ELEMENT_BYTES;
    }

    @Override
    public String toString()
    {
        return Views.toString("SharedIntArray", address, length);
    }
}
