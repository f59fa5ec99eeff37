package dev.virgo.api.heap;

/**
 * Memory pooled across JVMs, addressed by 64-bit global addresses (see {@link GlobalAddress}): VIRGO's
 * {@code virgo_malloc/set/get/free} for Java.
 *
 * <p><b>Consistency.</b> Plain gets and puts are sequentially consistent: there is one order of all accesses by all
 * threads of all members that keeps each thread's program order, and every get returns the latest put to that
 * address in it. Compare-and-set and get-and-add are atomic. A get that hits a page this member already holds costs
 * no network.
 *
 * <p><b>Misuse</b> is a {@link SharedMemoryException} naming the address, never corrupt memory: an address outside
 * its allocation, an address that was freed or never allocated, and an atomic operation on an address not aligned
 * to its size. Typed accesses are little-endian. An unaligned plain access that crosses a page boundary is allowed
 * but is not atomic.
 */
public interface SharedMemory
{
    /** @return the address of {@code bytes} new bytes, all zero, homed at this member. */
    long malloc(long bytes);

    /** Returns an allocation; afterwards any access to it fails, on every member. */
    void free(long address);

    /** @return this member's id in the heap (0 at the origin); addresses it allocates are homed here. */
    int memberId();

    /** @return the size of this heap's pages, in bytes (a power of two). */
    int pageSizeBytes();

    long getLong(long address);

    void putLong(long address, long value);

    int getInt(long address);

    void putInt(long address, int value);

    short getShort(long address);

    void putShort(long address, short value);

    byte getByte(long address);

    void putByte(long address, byte value);

    default char getChar(final long address)
    {
        return (char)getShort(address);
    }

    default void putChar(final long address, final char value)
    {
        putShort(address, (short)value);
    }

    default boolean getBoolean(final long address)
    {
        return getByte(address) != 0;
    }

    default void putBoolean(final long address, final boolean value)
    {
        putByte(address, value ? (byte)1 : (byte)0);
    }

    default double getDouble(final long address)
    {
        return Double.longBitsToDouble(getLong(address));
    }

    default void putDouble(final long address, final double value)
    {
        putLong(address, Double.doubleToRawLongBits(value));
    }

    default float getFloat(final long address)
    {
        return Float.intBitsToFloat(getInt(address));
    }

    default void putFloat(final long address, final float value)
    {
        putInt(address, Float.floatToRawIntBits(value));
    }

    /** Copies {@code length} bytes from shared memory at {@code address} into {@code dst[offset..]}. */
    void getBytes(long address, byte[] dst, int offset, int length);

    /** Copies {@code src[offset..offset+length)} into shared memory at {@code address}. */
    void putBytes(long address, byte[] src, int offset, int length);

    /** Atomically sets the long at an 8-byte aligned address to {@code update} if it holds {@code expected}. */
    boolean compareAndSetLong(long address, long expected, long update);

    /** Atomically adds {@code delta} to the long at an 8-byte aligned address, returning the previous value. */
    long getAndAddLong(long address, long delta);

    /** Atomically sets the int at a 4-byte aligned address to {@code update} if it holds {@code expected}. */
    boolean compareAndSetInt(long address, int expected, int update);

    /** Atomically adds {@code delta} to the int at a 4-byte aligned address, returning the previous value. */
    int getAndAddInt(long address, int delta);
}
