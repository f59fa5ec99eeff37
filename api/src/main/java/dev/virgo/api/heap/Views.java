package dev.virgo.api.heap;

import dev.virgo.api.heap.GlobalAddress;
import dev.virgo.api.heap.SharedMemory;

import java.util.Objects;

/** Checks shared by the views: a view must name real, suitably aligned memory. */
final class Views
{
    private Views()
    {
    }

    static long allocate(final SharedMemory memory, final int length, final int elementBytes)
    {
        Objects.requireNonNull(memory, "memory");
        checkLength(length);
        // malloc rejects 0 bytes; an empty view still gets an address of its own.
        return memory.malloc(Math.max(1L, (long)length * elementBytes));
    }

    static long checkAt(final SharedMemory memory, final long address, final int length, final int elementBytes)
    {
        Objects.requireNonNull(memory, "memory");
        checkLength(length);
        if (0 == address)
        {
            throw new IllegalArgumentException("address=0 (null) with length=" + length);
        }
        if (0 != (address & (elementBytes - 1)))
        {
            throw new IllegalArgumentException("address=" + GlobalAddress.toString(address) + ": not aligned to " +
                elementBytes + " bytes, as an array of " + elementBytes + "-byte elements needs");
        }
        return address;
    }

    private static void checkLength(final int length)
    {
        if (length < 0)
        {
            throw new IllegalArgumentException("length=" + length + ": must not be negative");
        }
    }

    static String toString(final String type, final long address, final int length)
    {
        return type + "[address=" + GlobalAddress.toString(address) + ", length=" + length + "]";
    }
}
