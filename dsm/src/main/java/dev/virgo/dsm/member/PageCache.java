package dev.virgo.dsm.member;

import dev.virgo.api.heap.GlobalAddress;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This member's copies of pages, one {@link CachedPage} record per page, and what happens to them: a grant installs a
 * copy, the home invalidates it or fetches it back, the bound evicts clean ones, and a home that leaves takes its
 * pages with it.
 *
 * <p>Threads: application threads look records up on the hit path and create them on a miss (see
 * {@link Requester#miss}); the conductor installs grants, invalidates, downgrades and evicts; whichever thread
 * reports a member leaving drops the copies homed there. The map is concurrent; a record's state changes under its
 * monitor (see {@link CachedPage}).
 */
final class PageCache
{
    private static final int RECENT_SLOTS = 4096;

    private final int pageShift;
    private final int pageSizeBytes;
    private final int maxCachedPages;
    private final CoherenceProxy proxy;
    private final Roster roster;
    private final ConcurrentHashMap<Long, CachedPage> cache = new ConcurrentHashMap<>();
    /**
     * A direct-mapped index in front of {@link #cache} for the hit path, which would otherwise box the page number and
     * hash it: slot {@code page & (RECENT_SLOTS - 1)} remembers the last record looked up there. A slot may hold a
     * stale record; a record that left the map is always INVALID (eviction and a member leaving set it so first), and
     * its page number is final, so a reader that checks both never uses the wrong page.
     */
    private final CachedPage[] recent = new CachedPage[RECENT_SLOTS];

    PageCache(
        final int pageSizeBytes, final int maxCachedPages, final CoherenceProxy proxy, final Roster roster)
    {
        this.pageSizeBytes = pageSizeBytes;
        this.pageShift = Integer.numberOfTrailingZeros(pageSizeBytes);
        this.maxCachedPages = maxCachedPages;
        this.proxy = proxy;
        this.roster = roster;
    }

    /** @return how many pages this member keeps a record or a copy of now. */
    int size()
    {
        return cache.size();
    }

    /** Any thread, the hit path. @return the record of this page (valid or not), through {@link #recent} if it can. */
    CachedPage lookup(final long pageNumber)
    {
        final int slot = (int)pageNumber & (RECENT_SLOTS - 1);
        final CachedPage hinted = recent[slot];
        if (null != hinted && hinted.page == pageNumber && hinted.state != CachedPage.INVALID)
        {
            return hinted;
        }
        final CachedPage page = cache.get(pageNumber);
        if (null != page)
        {
            recent[slot] = page;
        }
        return page;
    }

    /** @return the record of this page in the map now, or null. */
    CachedPage get(final long pageNumber)
    {
        return cache.get(pageNumber);
    }

    /** @return the record of this page, created (INVALID) if there is none. */
    CachedPage record(final long pageNumber)
    {
        return cache.computeIfAbsent(pageNumber, CachedPage::new);
    }

    /**
     * Conductor: a grant arrived. Installs the new buffer and takes the request it answers, in one step under the
     * page's monitor, then keeps the bound.
     *
     * A grant that answers no request in flight is not installed: this member asked for nothing, so the page's
     * contents would be whatever the sender wanted this member's threads to read.
     *
     * @return the request in flight that the grant answers, for the requester to complete; or null, when none waits
     * and nothing was installed.
     */
    CompletableFuture<CachedPage.Grant> install(
        final long pageNumber, final UnsafeBuffer data, final long allocStart, final long allocEnd,
        final boolean exclusive)
    {
        // A page with a request in flight is always in the map: eviction skips it, and what drops it fails the request.
        final CachedPage page = cache.get(pageNumber);
        if (null == page)
        {
            return null;
        }
        final CompletableFuture<CachedPage.Grant> request;
        synchronized (page)
        {
            if (null == page.pending)
            {
                return null;
            }
            page.allocStart = allocStart;
            page.allocEnd = allocEnd;
            page.data = data;
            page.state = exclusive ? CachedPage.EXCLUSIVE : CachedPage.SHARED;
            request = page.pending;
            page.pending = null;
        }
        if (cache.size() > maxCachedPages)
        {
            // Before the waiting threads go on, so the bound holds when their access returns.
            evictCleanCopies(pageNumber);
        }
        return request;
    }

    /**
     * Drops read-only copies (and records of invalid pages) until the cache is a tenth below its bound. The home is
     * not told: it may still list this member as a reader, and a later invalidation of a page not held is simply
     * acknowledged. Pages held exclusively (dirty) or with a request in flight stay.
     */
    private void evictCleanCopies(final long justGranted)
    {
        final int target = maxCachedPages - Math.max(1, maxCachedPages / 10);
        for (final CachedPage page : cache.values())
        {
            if (cache.size() <= target)
            {
                return;
            }
            if (page.page == justGranted)
            {
                continue;
            }
            synchronized (page)
            {
                if (null == page.pending && page.state != CachedPage.EXCLUSIVE)
                {
                    page.state = CachedPage.INVALID;
                    page.data = null;
                    cache.remove(page.page, page);
                }
            }
        }
    }

    /** Conductor: the home takes every copy away (a writer is waiting, or the page is freed). */
    void onInvalidate(final long pageNumber, final int homeMember, final long transaction)
    {
        final CachedPage page = cache.get(pageNumber);
        if (null != page)
        {
            synchronized (page)
            {
                page.state = CachedPage.INVALID;
                page.data = null;
            }
        }
        proxy.invalidateAck(homeMember, pageNumber, transaction);
    }

    /** Conductor: the home wants this member's exclusive copy back, keeping a read copy unless it invalidates. */
    void onFetch(final long pageNumber, final int homeMember, final boolean invalidate, final long transaction)
    {
        final CachedPage page = cache.get(pageNumber);
        final byte[] bytes = new byte[pageSizeBytes];
        if (null != page)
        {
            synchronized (page)
            {
                if (null != page.data)
                {
                    page.data.getBytes(0, bytes);
                }
                // A downgraded buffer is never written again (writes need EXCLUSIVE; the next grant brings a new one).
                page.state = invalidate ? CachedPage.INVALID : CachedPage.SHARED;
                if (invalidate)
                {
                    page.data = null;
                }
            }
        }
        proxy.fetchReply(homeMember, pageNumber, transaction, bytes);
    }

    /** Any thread: forgets every copy of memory homed at a member that left, failing the requests in flight. */
    void dropCopiesHomedAt(final int gone)
    {
        for (final CachedPage page : cache.values())
        {
            if (GlobalAddress.home(page.page << pageShift) != gone)
            {
                continue;
            }
            final CompletableFuture<CachedPage.Grant> request;
            synchronized (page)
            {
                page.state = CachedPage.INVALID;
                page.data = null;
                request = page.pending;
                page.pending = null;
                cache.remove(page.page, page);
            }
            if (null != request)
            {
                request.completeExceptionally(roster.homeGone(page.page, gone));
            }
        }
    }
}
