package dev.virgo.dsm.member;

import dev.virgo.api.heap.GlobalAddress;
import dev.virgo.api.heap.SharedMemoryException;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The application threads' loads, stores and atomics on this member's copies of pages ({@link PageCache}): a hit
 * costs a lookup, and a store or an atomic the page's monitor; a miss goes to the {@link Requester} and waits.
 *
 * <p>Threads: application threads only. A store re-checks under the page's monitor that the page is still held
 * exclusively, since the conductor may have taken it away (an invalidation, a fetch) between the lookup and the
 * store; it then misses again.
 */
final class PageAccess
{
    private final int pageSizeBytes;
    private final int pageShift;
    private final PageCache cache;
    private final Requester requester;

    PageAccess(final int pageSizeBytes, final PageCache cache, final Requester requester)
    {
        this.pageSizeBytes = pageSizeBytes;
        this.pageShift = Integer.numberOfTrailingZeros(pageSizeBytes);
        this.cache = cache;
        this.requester = requester;
    }

    // ---------------------------------------------------------------- reads

    long getLong(final long address)
    {
        return (address & 7) == 0 ? readable(address, 8).getLongVolatile(offsetInPage(address)) :
            getUnaligned(address, 8);
    }

    int getInt(final long address)
    {
        return (address & 3) == 0 ? readable(address, 4).getIntVolatile(offsetInPage(address)) :
            (int)getUnaligned(address, 4);
    }

    short getShort(final long address)
    {
        return (address & 1) == 0 ? readable(address, 2).getShortVolatile(offsetInPage(address)) :
            (short)getUnaligned(address, 2);
    }

    byte getByte(final long address)
    {
        return readable(address, 1).getByteVolatile(offsetInPage(address));
    }

    void getBytes(final long address, final byte[] dst, final int offset, final int length)
    {
        long at = address;
        int done = 0;
        while (done < length)
        {
            final int inPage = Math.min(length - done, pageSizeBytes - offsetInPage(at));
            final UnsafeBuffer data = readable(at, inPage);
            final CachedPage page = cache.get(at >>> pageShift);
            synchronized (null != page ? page : this)
            {
                data.getBytes(offsetInPage(at), dst, offset + done, inPage);
            }
            done += inPage;
            at += inPage;
        }
    }

    private long getUnaligned(final long address, final int size)
    {
        final byte[] bytes = new byte[size];
        getBytes(address, bytes, 0, size);
        long value = 0;
        for (int i = size - 1; i >= 0; i--)
        {
            value = (value << 8) | (bytes[i] & 0xFF);
        }
        return value;
    }

    /**
     * The hit path: a page this member holds in any state is read without a lock or a message. Only a miss asks the
     * home; the buffer it was granted is read even if an invalidation has arrived since (the value was current when
     * granted, within this read's interval), so a reader cannot be starved by writers.
     */
    private UnsafeBuffer readable(final long address, final int size)
    {
        final CachedPage page = cache.lookup(address >>> pageShift);
        if (null != page && page.state != CachedPage.INVALID)
        {
            final UnsafeBuffer data = page.data;
            if (null != data)
            {
                checkBounds(page.allocStart, page.allocEnd, address, size);
                return data;
            }
        }
        final CachedPage.Grant granted = requester.miss(address, false);
        checkBounds(granted.allocStart, granted.allocEnd, address, size);
        return granted.data;
    }

    // ---------------------------------------------------------------- writes and atomics

    void putLong(final long address, final long value)
    {
        if ((address & 7) != 0)
        {
            putUnaligned(address, value, 8);
            return;
        }
        while (true)
        {
            final CachedPage page = writablePage(address, 8);
            synchronized (page)
            {
                if (page.state == CachedPage.EXCLUSIVE)
                {
                    page.data.putLongVolatile(offsetInPage(address), value);
                    return;
                }
            }
        }
    }

    void putInt(final long address, final int value)
    {
        if ((address & 3) != 0)
        {
            putUnaligned(address, value, 4);
            return;
        }
        while (true)
        {
            final CachedPage page = writablePage(address, 4);
            synchronized (page)
            {
                if (page.state == CachedPage.EXCLUSIVE)
                {
                    page.data.putIntVolatile(offsetInPage(address), value);
                    return;
                }
            }
        }
    }

    void putShort(final long address, final short value)
    {
        if ((address & 1) != 0)
        {
            putUnaligned(address, value, 2);
            return;
        }
        while (true)
        {
            final CachedPage page = writablePage(address, 2);
            synchronized (page)
            {
                if (page.state == CachedPage.EXCLUSIVE)
                {
                    page.data.putShortVolatile(offsetInPage(address), value);
                    return;
                }
            }
        }
    }

    void putByte(final long address, final byte value)
    {
        while (true)
        {
            final CachedPage page = writablePage(address, 1);
            synchronized (page)
            {
                if (page.state == CachedPage.EXCLUSIVE)
                {
                    page.data.putByteVolatile(offsetInPage(address), value);
                    return;
                }
            }
        }
    }

    void putBytes(final long address, final byte[] src, final int offset, final int length)
    {
        long at = address;
        int done = 0;
        while (done < length)
        {
            final int inPage = Math.min(length - done, pageSizeBytes - offsetInPage(at));
            while (true)
            {
                final CachedPage page = writablePage(at, inPage);
                synchronized (page)
                {
                    if (page.state == CachedPage.EXCLUSIVE)
                    {
                        page.data.putBytes(offsetInPage(at), src, offset + done, inPage);
                        break;
                    }
                }
            }
            done += inPage;
            at += inPage;
        }
    }

    private void putUnaligned(final long address, final long value, final int size)
    {
        final byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++)
        {
            bytes[i] = (byte)(value >>> (8 * i));
        }
        putBytes(address, bytes, 0, size);
    }

    boolean compareAndSetLong(final long address, final long expected, final long update)
    {
        checkAligned(address, 8, "compareAndSetLong");
        while (true)
        {
            final CachedPage page = writablePage(address, 8);
            synchronized (page)
            {
                if (page.state == CachedPage.EXCLUSIVE)
                {
                    return page.data.compareAndSetLong(offsetInPage(address), expected, update);
                }
            }
        }
    }

    long getAndAddLong(final long address, final long delta)
    {
        checkAligned(address, 8, "getAndAddLong");
        while (true)
        {
            final CachedPage page = writablePage(address, 8);
            synchronized (page)
            {
                if (page.state == CachedPage.EXCLUSIVE)
                {
                    return page.data.getAndAddLong(offsetInPage(address), delta);
                }
            }
        }
    }

    boolean compareAndSetInt(final long address, final int expected, final int update)
    {
        checkAligned(address, 4, "compareAndSetInt");
        while (true)
        {
            final CachedPage page = writablePage(address, 4);
            synchronized (page)
            {
                if (page.state == CachedPage.EXCLUSIVE)
                {
                    return page.data.compareAndSetInt(offsetInPage(address), expected, update);
                }
            }
        }
    }

    int getAndAddInt(final long address, final int delta)
    {
        checkAligned(address, 4, "getAndAddInt");
        while (true)
        {
            final CachedPage page = writablePage(address, 4);
            synchronized (page)
            {
                if (page.state == CachedPage.EXCLUSIVE)
                {
                    return page.data.getAndAddInt(offsetInPage(address), delta);
                }
            }
        }
    }

    /** @return the page, held exclusively when this returned (the caller re-checks under the page's monitor). */
    private CachedPage writablePage(final long address, final int size)
    {
        while (true)
        {
            final CachedPage page = cache.lookup(address >>> pageShift);
            if (null != page && page.state == CachedPage.EXCLUSIVE)
            {
                checkBounds(page.allocStart, page.allocEnd, address, size);
                return page;
            }
            final CachedPage.Grant granted = requester.miss(address, true);
            checkBounds(granted.allocStart, granted.allocEnd, address, size);
        }
    }

    private static void checkBounds(final long allocStart, final long allocEnd, final long address, final int size)
    {
        if (address < allocStart || address + size > allocEnd)
        {
            throw new SharedMemoryException("address " + GlobalAddress.toString(address) + " (+" + size +
                " bytes) is outside its allocation [0x" + Long.toHexString(allocStart) + ", 0x" +
                Long.toHexString(allocEnd) + ")");
        }
    }

    private static void checkAligned(final long address, final int size, final String operation)
    {
        if ((address & (size - 1)) != 0)
        {
            throw new SharedMemoryException(operation + " at " + GlobalAddress.toString(address) +
                ": not aligned to " + size + " bytes");
        }
    }

    private int offsetInPage(final long address)
    {
        return (int)(address & (pageSizeBytes - 1));
    }
}
