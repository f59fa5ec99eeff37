package dev.virgo.dsm.member;

import dev.virgo.api.heap.GlobalAddress;
import dev.virgo.api.heap.SharedMemoryException;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pages whose home is this member: which are allocated (to which allocation), and for each page in use its
 * directory entry: the owner holding the only writable copy, or none (the master copy here is current), and the
 * members holding read copies. Allocation is called by application threads; directory entries belong to the member's
 * conductor alone.
 */
final class HomeDirectory
{
    static final int NO_OWNER = -1;

    /** One malloc: page-aligned, whole pages, absolute addresses. */
    static final class Allocation
    {
        final long start;
        final long length;
        final long pages;

        Allocation(final long start, final long length, final long pages)
        {
            this.start = start;
            this.length = length;
            this.pages = pages;
        }
    }

    /** A request waiting at the home, in arrival order per page. */
    static final class Request
    {
        /** Set when the request becomes the page's current transaction; echoed by the replies it causes. */
        long id;
        final boolean exclusive;
        final int from;
        /** The members whose invalidation this request still waits for. */
        long awaitingAcks;
        boolean awaitingFetch;

        Request(final boolean exclusive, final int from)
        {
            this.exclusive = exclusive;
            this.from = from;
        }
    }

    /** The directory entry of one page: owner, copy set, master copy, and the requests for it in order. */
    static final class Entry
    {
        int owner = NO_OWNER;
        long copyset;
        byte[] master;
        Request current;
        final ArrayDeque<Request> queue = new ArrayDeque<>();
        /** The member that held the only current copy when it left the heap: the page's data is lost. */
        int lostWith = NO_OWNER;

        Entry(final int pageSizeBytes)
        {
            master = new byte[pageSizeBytes];
        }
    }

    private final int pageSizeBytes;
    private final int pageShift;
    private final long regionBase;
    private final Map<Long, Allocation> allocationByPage = new ConcurrentHashMap<>();
    private final Map<Long, Allocation> allocationByStart = new ConcurrentHashMap<>();
    /** Free runs of pages in this member's region: start address to page count. Guarded by this. */
    private final TreeMap<Long, Long> freeRuns = new TreeMap<>();
    private long nextFreshAddress;
    /** Conductor only: {@link PageHome} runs each page's transactions; {@link HomeFrees} removes a freed page's. */
    final Map<Long, Entry> entries = new HashMap<>();
    /** Conductor only. */
    private long lastTransactionId;

    long nextTransactionId()
    {
        return ++lastTransactionId;
    }

    HomeDirectory(final long regionBase, final int pageSizeBytes)
    {
        this.regionBase = regionBase;
        this.pageSizeBytes = pageSizeBytes;
        this.pageShift = Integer.numberOfTrailingZeros(pageSizeBytes);
        this.nextFreshAddress = regionBase + pageSizeBytes; // offset 0 stays null
    }

    /** @return the start address of a new page-aligned allocation of whole pages. */
    synchronized Allocation allocate(final long bytes)
    {
        final long pages = Math.max(1, (bytes + pageSizeBytes - 1) >>> pageShift);
        long start = -1;
        for (final Map.Entry<Long, Long> run : freeRuns.entrySet())
        {
            if (run.getValue() >= pages)
            {
                start = run.getKey();
                freeRuns.remove(start);
                if (run.getValue() > pages)
                {
                    freeRuns.put(start + (pages << pageShift), run.getValue() - pages);
                }
                break;
            }
        }
        if (start < 0)
        {
            start = nextFreshAddress;
            nextFreshAddress += pages << pageShift;
            if (((nextFreshAddress - regionBase) >>> GlobalAddress.HOME_SHIFT) != 0)
            {
                throw new SharedMemoryException("member region exhausted allocating " + bytes +
                    " bytes");
            }
        }
        final Allocation allocation = new Allocation(start, bytes, pages);
        for (long p = 0; p < pages; p++)
        {
            allocationByPage.put((start >>> pageShift) + p, allocation);
        }
        allocationByStart.put(start, allocation);
        return allocation;
    }

    /**
     * First half of a free: the allocation that starts at this address stops existing (requests for its pages are
     * refused), but its pages are not handed out again until {@link #reuse(Allocation)}, once every copy is gone.
     *
     * @return the allocation, or null when none starts at this address.
     */
    synchronized Allocation unmap(final long start)
    {
        final Allocation allocation = allocationByStart.remove(start);
        if (null != allocation)
        {
            for (long p = 0; p < allocation.pages; p++)
            {
                allocationByPage.remove((start >>> pageShift) + p);
            }
        }
        return allocation;
    }

    /** Second half of a free: no member holds a copy of the allocation's pages any more. */
    synchronized void reuse(final Allocation allocation)
    {
        freeRuns.put(allocation.start, allocation.pages);
    }

    Allocation allocationOf(final long page)
    {
        return allocationByPage.get(page);
    }

    Entry entry(final long page)
    {
        return entries.computeIfAbsent(page, p -> new Entry(pageSizeBytes));
    }
}
