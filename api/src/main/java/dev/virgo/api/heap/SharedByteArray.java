package dev.virgo.api.heap;

import dev.virgo.api.heap.SharedMemory;

import java.util.Objects;

/**
 * A {@code byte[]} in the shared heap: element {@code i} is the byte at {@code address() + i}, no alignment needed.
 * <pre>
 *   address +0  +1  +2        +length-1
 *  +---+---+---+-- ... --+---+
 *  | 0 | 1 | 2 |         |   |
 *  +---+---+---+-- ... --+---+
 * </pre>
 * Each access is one access to {@link SharedMemory}, sequentially consistent across all members; {@link #get(int,
 * byte[], int, int)} and {@link #set(int, byte[], int, int)} copy ranges (a range spanning pages is not one atomic
 * access). An index or range outside {@code [0, length)} is an {@link IndexOutOfBoundsException} naming it and the
 * length, thrown before memory is touched.
 */
public final class SharedByteArray
{
    private final SharedMemory memory;
    private final long address;
    private final int length;

    private SharedByteArray(final SharedMemory memory, final long address, final int length)
    {
        this.memory = memory;
        this.address = address;
        this.length = length;
    }

    /** @return a new array of {@code length} zero bytes, homed at {@code memory}'s member. */
    public static SharedByteArray allocate(final SharedMemory memory, final int length)
    {
        return new SharedByteArray(memory, Views.allocate(memory, length, 1), length);
    }

    /** @return a view of {@code length} bytes that already live at {@code address}. */
    public static SharedByteArray at(final SharedMemory memory, final long address, final int length)
    {
        return new SharedByteArray(memory, Views.checkAt(memory, address, length, 1), length);
    }

    public long address()
    {
        return address;
    }

    public int length()
    {
        return length;
    }

    public byte get(final int index)
    {
        return memory.getByte(address + Objects.checkIndex(index, length));
    }

    public void set(final int index, final byte value)
    {
        memory.putByte(address + Objects.checkIndex(index, length), value);
    }

    /** Copies elements {@code [index, index + count)} into {@code dst[offset..]}. */
    public void get(final int index, final byte[] dst, final int offset, final int count)
    {
        Objects.checkFromIndexSize(index, count, length);
        Objects.checkFromIndexSize(offset, count, dst.length);
        memory.getBytes(address + index, dst, offset, count);
    }

    /** Copies {@code src[offset..offset + count)} into elements {@code [index, index + count)}. */
    public void set(final int index, final byte[] src, final int offset, final int count)
    {
        Objects.checkFromIndexSize(index, count, length);
        Objects.checkFromIndexSize(offset, count, src.length);
        memory.putBytes(address + index, src, offset, count);
    }

    /** Returns the memory to the heap (see {@link SharedMemory#free}); no member may use this array afterwards. */
    public void free()
    {
        memory.free(address);
    }

    @Override
    public String toString()
    {
        return Views.toString("SharedByteArray", address, length);
    }
}
