package dev.virgo.dsm.member;

import dev.virgo.api.heap.GlobalAddress;
import dev.virgo.api.heap.SharedMemoryException;
import dev.virgo.dsm.protocol.CoherenceMessage;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What this member asks of homes, and the answers: a miss asks a page's home for a copy or for ownership and waits
 * for the grant (or the refusal), retrying when what came is not enough; a free asks an allocation's home to return
 * it and waits for its acknowledgement.
 *
 * <p>Threads: application threads miss and free, and wait; the conductor completes what they wait for (a grant, a
 * refusal, a free's acknowledgement); whichever thread reports a member leaving fails what waits for it. A page's
 * request in flight is {@link CachedPage#pending}, set here under the page's monitor; what answers it takes it under
 * the same monitor. A free in flight is in {@link #frees}, by address.
 */
final class Requester
{
    private final int self;
    private final int pageShift;
    private final int pageSizeBytes;
    private final long missTimeoutNs;
    private final PageCache pages;
    private final CoherenceProxy proxy;
    private final Roster roster;
    private final AtomicLong requestsSent = new AtomicLong();
    private final ConcurrentHashMap<Long, CompletableFuture<Void>> frees = new ConcurrentHashMap<>();

    Requester(
        final int self, final int pageSizeBytes, final long missTimeoutNs, final PageCache pages,
        final CoherenceProxy proxy, final Roster roster)
    {
        this.self = self;
        this.pageSizeBytes = pageSizeBytes;
        this.pageShift = Integer.numberOfTrailingZeros(pageSizeBytes);
        this.missTimeoutNs = missTimeoutNs;
        this.pages = pages;
        this.proxy = proxy;
        this.roster = roster;
    }

    /** @return how many read and write requests this member has sent to homes: misses, after combining. */
    long requestsSent()
    {
        return requestsSent.get();
    }

    /**
     * Asks the page's home for a copy (or exclusive ownership) and waits for the grant. Threads of this member that
     * miss on one page while a request is in flight wait for that request instead of sending their own.
     */
    CachedPage.Grant miss(final long address, final boolean exclusive)
    {
        final long pageNumber = address >>> pageShift;
        final int homeMember = GlobalAddress.home(address);
        while (true)
        {
            if (roster.isDeparted(homeMember))
            {
                throw roster.homeGone(pageNumber, homeMember);
            }
            final CachedPage page = pages.record(pageNumber);
            final CompletableFuture<CachedPage.Grant> request;
            boolean send = false;
            synchronized (page)
            {
                if (pages.get(pageNumber) != page)
                {
                    continue; // evicted while we looked: take the page record that is in the map now
                }
                if (page.state == CachedPage.EXCLUSIVE || (!exclusive && page.state == CachedPage.SHARED))
                {
                    return new CachedPage.Grant(page.data, page.allocStart, page.allocEnd);
                }
                if (null == page.pending)
                {
                    page.pending = new CompletableFuture<>();
                    page.pendingExclusive = exclusive;
                    send = true;
                }
                request = page.pending;
            }
            if (send)
            {
                requestsSent.incrementAndGet();
                proxy.request(homeMember, pageNumber, exclusive);
            }
            final CachedPage.Grant granted = await(
                request, "page 0x" + Long.toHexString(pageNumber << pageShift), homeMember);
            if (!exclusive || page.state == CachedPage.EXCLUSIVE)
            {
                return granted;
            }
        }
    }

    /** Returns an allocation to its home, and waits until no member holds a copy of it. */
    void free(final long address)
    {
        final int homeMember = GlobalAddress.home(address);
        if (roster.isDeparted(homeMember))
        {
            throw roster.homeGone(address >>> pageShift, homeMember);
        }
        final CompletableFuture<Void> done = new CompletableFuture<>();
        if (null != frees.putIfAbsent(address, done))
        {
            throw new SharedMemoryException("free(" + GlobalAddress.toString(address) + "): already being freed");
        }
        try
        {
            proxy.free(homeMember, address);
            await(done, "free of " + GlobalAddress.toString(address), homeMember);
        }
        finally
        {
            frees.remove(address);
        }
    }

    private <T> T await(final CompletableFuture<T> future, final String what, final int homeMember)
    {
        try
        {
            return future.get(missTimeoutNs, TimeUnit.NANOSECONDS);
        }
        catch (final TimeoutException ex)
        {
            throw new SharedMemoryException(what + ": member " + self + " got no answer from its home " +
                roster.describe(homeMember) + " in " + TimeUnit.NANOSECONDS.toMillis(missTimeoutNs) + " ms");
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof SharedMemoryException)
            {
                throw new SharedMemoryException(ex.getCause().getMessage());
            }
            throw new SharedMemoryException(what + ": " + ex.getCause());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new SharedMemoryException(what + ": interrupted while waiting for the page's home");
        }
    }

    /**
     * Conductor: DATA, a copy (or ownership) granted by the page's home (the caller checked the sender and the bounds).
     *
     * @return false when no request of this member waits for it: unsolicited, and dropped.
     */
    boolean onGrant(final CoherenceMessage message)
    {
        if (roster.isDeparted(GlobalAddress.home(message.page() << pageShift)))
        {
            return true; // a late grant from a home that left: its memory is gone, and so is this copy
        }
        final byte[] bytes = new byte[pageSizeBytes];
        message.getPageBytes(bytes);
        final UnsafeBuffer data = new UnsafeBuffer(bytes);
        final long allocEnd = message.allocStart() + message.allocLength();
        final CompletableFuture<CachedPage.Grant> request =
            pages.install(message.page(), data, message.allocStart(), allocEnd, message.exclusive());
        if (null == request)
        {
            return false;
        }
        request.complete(new CachedPage.Grant(data, message.allocStart(), allocEnd));
        return true;
    }

    /**
     * Conductor: NACK, the home refused a request for a page or a free.
     *
     * @return false when no request or free of this member waits for it: unsolicited, and dropped.
     */
    boolean onNack(final long pageNumber, final long freedAddress, final String reason)
    {
        if (freedAddress != 0)
        {
            final CompletableFuture<Void> done = frees.get(freedAddress);
            return null != done && done.completeExceptionally(new SharedMemoryException(reason));
        }
        final CachedPage page = pages.get(pageNumber);
        if (null == page)
        {
            return false;
        }
        final CompletableFuture<CachedPage.Grant> request;
        synchronized (page)
        {
            request = page.pending;
            page.pending = null;
        }
        return null != request && request.completeExceptionally(new SharedMemoryException(reason));
    }

    /**
     * Conductor: FREE_ACK, the allocation is returned.
     *
     * @return false when no free of this member waits for it: unsolicited, and dropped.
     */
    boolean onFreeAck(final long address)
    {
        final CompletableFuture<Void> done = frees.get(address);
        return null != done && done.complete(null);
    }

    /** Any thread: forgets every copy of memory homed at a member that left, failing the requests in flight. */
    void homeLeft(final int gone)
    {
        pages.dropCopiesHomedAt(gone);
        for (final Map.Entry<Long, CompletableFuture<Void>> free : frees.entrySet())
        {
            if (GlobalAddress.home(free.getKey()) == gone)
            {
                free.getValue().completeExceptionally(roster.homeGone(free.getKey() >>> pageShift, gone));
            }
        }
    }
}
