package dev.virgo.api.heap;

import dev.virgo.api.heap.SharedMemory;

import java.util.Objects;

/**
 * A {@code double[]} in the shared heap. Element {@code i} is the IEEE 754 bits of a double in the 8 bytes at
 * {@code address() + 8 * i} (little-endian, 8-byte aligned), written with {@link Double#doubleToRawLongBits}.
 * <pre>
 *   address +0        +8        +16             +8*(length-1)
 *  +---------+---------+---------+-- ... --+-------------------+
 *  | double 0| double 1| double 2|         | double length-1   |
 *  +---------+---------+---------+-- ... --+-------------------+
 * </pre>
 * Each access is one access to {@link SharedMemory}, sequentially consistent across all members. There are no
 * atomics on doubles; guard read-modify-write with a {@link dev.virgo.api.heap.sync.SharedLock}, or keep the bits in a
 * {@link SharedLongArray} and use its compare-and-set. An index outside {@code [0, length)} is an
 * {@link IndexOutOfBoundsException} naming the index and the length, thrown before memory is touched.
 */
public final class SharedDoubleArray
{
    private static final int ELEMENT_BYTES = 8;

    private final SharedMemory memory;
    private final long address;
    private final int length;

    private SharedDoubleArray(final SharedMemory memory, final long address, final int length)
    {
        this.memory = memory;
        this.address = address;
        this.length = length;
    }

    /** @return a new array of {@code length} zeros ({@code 0.0}), homed at {@code memory}'s member. */
    public static SharedDoubleArray allocate(final SharedMemory memory, final int length)
    {
        return new SharedDoubleArray(memory, Views.allocate(memory, length, ELEMENT_BYTES), length);
    }

    /** @return a view of {@code length} doubles that already live at {@code address}. */
    public static SharedDoubleArray at(final SharedMemory memory, final long address, final int length)
    {
        return new SharedDoubleArray(memory, Views.checkAt(memory, address, length, ELEMENT_BYTES), length);
    }

    public long address()
    {
        return address;
    }

    public int length()
    {
        return length;
    }

    public double get(final int index)
    {
        return memory.getDouble(elementAddress(index));
    }

    public void set(final int index, final double value)
    {
        memory.putDouble(elementAddress(index), value);
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
        return Views.toString("SharedDoubleArray", address, length);
    }
}
