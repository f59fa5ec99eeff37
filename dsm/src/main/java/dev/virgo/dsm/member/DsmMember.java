package dev.virgo.dsm.member;

import dev.virgo.api.heap.GlobalAddress;
import dev.virgo.api.heap.SharedMemory;
import dev.virgo.api.heap.SharedMemoryException;
import dev.virgo.dsm.protocol.CoherenceMessage;
import dev.virgo.runtime.log.VirgoLog;
import dev.virgo.runtime.transport.IdleStrategies;
import dev.virgo.runtime.wire.MalformedMessageException;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One member of the shared heap: the {@link SharedMemory} its threads use, the cache of its copies of pages, and the
 * home directory of the pages it allocated.
 *
 * <p>The protocol is home-based MSI, as in Popcorn Linux's distributed shared memory. A read miss asks the page's
 * home for a copy; the home fetches the current data from the owner if one holds it exclusively (the owner keeps a
 * read copy) and adds the reader to the copy set: readers replicate. A write miss asks the home for exclusive
 * ownership; the home takes the data back from any owner, invalidates every other copy and waits for every
 * acknowledgement, and only then grants the page: single writer, many readers. The home serializes the requests for
 * one page in arrival order, so concurrent misses from several members neither deadlock nor livelock; the threads of
 * one member that miss on one page share one request.
 *
 * <p>Threads: application threads run the hit path and send their own requests; one conductor thread handles every
 * message, both the member's (grants, invalidations, fetches) and the home's (requests, acknowledgements).
 */
public final class DsmMember implements SharedMemory, AutoCloseable
{
    /** Up to 64 members: copy sets are bit masks. */
    public static final int MAX_MEMBERS = 64;
    private static final int FRAGMENT_LIMIT = 64;
    private static final int RECENT_SLOTS = 4096;

    /** Default bound on this member's copies of pages: 64 Ki pages, 256 MiB at 4 KiB. */
    public static final int MAX_CACHED_PAGES_DEFAULT = 64 * 1024;

    private final int self;
    private final int maxCachedPages;
    private final int pageSizeBytes;
    private final int pageShift;
    private final long missTimeoutNs;
    private final MemberLinks links;
    private final HomeDirectory home;
    private final ConcurrentHashMap<Long, CachedPage> cache = new ConcurrentHashMap<>();
    /**
     * A direct-mapped index in front of {@link #cache} for the hit path, which would otherwise box the page number and
     * hash it: slot {@code page & (RECENT_SLOTS - 1)} remembers the last record looked up there. A slot may hold a
     * stale record; a record that left the map is always INVALID (eviction and a member leaving set it so first), and
     * its page number is final, so a reader that checks both never uses the wrong page.
     */
    private final CachedPage[] recent = new CachedPage[RECENT_SLOTS];
    private final ConcurrentHashMap<Long, CompletableFuture<Void>> frees = new ConcurrentHashMap<>();
    private final ThreadLocal<ExpandableArrayBuffer> sendBuffers =
        ThreadLocal.withInitial(() -> new ExpandableArrayBuffer(128));
    private final ExpandableArrayBuffer conductorBuffer = new ExpandableArrayBuffer(8192);
    private final CoherenceMessage message = new CoherenceMessage();
    private final IdleStrategy idle;
    private final Thread conductor;
    private final AtomicLong requestsSent = new AtomicLong();
    private volatile boolean running = true;
    private long malformedCount;
    /** Work handed to the conductor by other threads (a member leaving). */
    private final ConcurrentLinkedQueue<Runnable> conductorTasks = new ConcurrentLinkedQueue<>();
    /** The members that left the heap, as a bit mask: their pages are gone, and nothing is sent to them. */
    private volatile long departed;
    private final ConcurrentHashMap<Integer, String> memberNames = new ConcurrentHashMap<>();

    /**
     * @param links         this member's links to all members (its id is {@code links.self()}).
     * @param pageSizeBytes a power of two, the same on every member.
     * @param missTimeoutMs how long an access waits for a page's home before it fails naming the page and home.
     * @param idleStrategy  the conductor's, e.g. {@code backoff}.
     */
    public DsmMember(
        final MemberLinks links, final int pageSizeBytes, final long missTimeoutMs, final String idleStrategy)
    {
        this(links, pageSizeBytes, missTimeoutMs, idleStrategy, MAX_CACHED_PAGES_DEFAULT);
    }

    /**
     * @param maxCachedPages how many pages this member keeps copies of before it drops clean (read-only) copies; pages
     *                       it holds exclusively are never dropped, so a member writing more distinct pages than this
     *                       holds more.
     */
    public DsmMember(
        final MemberLinks links, final int pageSizeBytes, final long missTimeoutMs, final String idleStrategy,
        final int maxCachedPages)
    {
        if (maxCachedPages < 1)
        {
            throw new IllegalArgumentException("maxCachedPages=" + maxCachedPages + ": at least 1 expected");
        }
        this.maxCachedPages = maxCachedPages;
        if (Integer.bitCount(pageSizeBytes) != 1 || pageSizeBytes < 64)
        {
            throw new IllegalArgumentException("pageSizeBytes=" + pageSizeBytes + ": a power of two >= 64 expected");
        }
        if (links.self() < 0 || links.self() >= MAX_MEMBERS)
        {
            throw new IllegalArgumentException("member id " + links.self() + ": 0.." + (MAX_MEMBERS - 1) + " expected");
        }
        this.self = links.self();
        this.links = links;
        this.pageSizeBytes = pageSizeBytes;
        this.pageShift = Integer.numberOfTrailingZeros(pageSizeBytes);
        this.missTimeoutNs = TimeUnit.MILLISECONDS.toNanos(missTimeoutMs);
        this.home = new HomeDirectory(GlobalAddress.of(self, 0), pageSizeBytes);
        this.idle = IdleStrategies.forName(idleStrategy);
        this.conductor = new Thread(this::runConductor, "virgo-dsm-" + self);
        this.conductor.setDaemon(true);
        this.conductor.start();
    }

    @Override
    public int memberId()
    {
        return self;
    }

    /** @return true once this member can send to every other member (Aeron connections are up). */
    public boolean isConnectedTo(final int member)
    {
        return links.isConnectedTo(member);
    }

    /** @return how many pages this member keeps a record or a copy of now. */
    public int cachedPages()
    {
        return cache.size();
    }

    /** @return how many read and write requests this member has sent to homes: misses, after combining. */
    public long requestsSent()
    {
        return requestsSent.get();
    }

    /** Names a member in error messages, e.g. {@code node-2}. */
    public void nameMember(final int member, final String name)
    {
        memberNames.put(member, name);
    }

    /**
     * A member left the heap (its JVM is gone): the pages homed there are gone, so every access to them fails at once
     * naming the page and the member; pages it held the only current copy of are lost, and fail likewise; the copies
     * it held are forgotten, and nothing waits for it any more.
     */
    public void memberLeft(final int member)
    {
        if (member == self || member < 0 || member >= MAX_MEMBERS)
        {
            return;
        }
        departed |= 1L << member;
        dropCopiesHomedAt(member); // at once, so that no access after this call hits a copy of its memory
        conductorTasks.add(() -> onMemberLeft(member));
    }

    private boolean isDeparted(final int member)
    {
        return (departed & (1L << member)) != 0;
    }

    private String describeMember(final int member)
    {
        final String name = memberNames.get(member);
        return "member " + member + (null != name ? " (" + name + ")" : "");
    }

    private SharedMemoryException homeGone(final long pageNumber, final int homeMember)
    {
        return new SharedMemoryException("page 0x" + Long.toHexString(pageNumber << pageShift) + ": its home " +
            describeMember(homeMember) + " left the shared heap, and its memory with it");
    }

    @Override
    public int pageSizeBytes()
    {
        return pageSizeBytes;
    }

    // ---------------------------------------------------------------- allocation

    @Override
    public long malloc(final long bytes)
    {
        if (bytes <= 0)
        {
            throw new SharedMemoryException("malloc(" + bytes + "): size must be positive");
        }
        return home.allocate(bytes).start;
    }

    @Override
    public void free(final long address)
    {
        if (isDeparted(GlobalAddress.home(address)))
        {
            throw homeGone(address >>> pageShift, GlobalAddress.home(address));
        }
        final CompletableFuture<Void> done = new CompletableFuture<>();
        if (null != frees.putIfAbsent(address, done))
        {
            throw new SharedMemoryException("free(" + GlobalAddress.toString(address) + "): already being freed");
        }
        try
        {
            final ExpandableArrayBuffer buffer = sendBuffers.get();
            final int length = CoherenceMessage.header(buffer, CoherenceMessage.FREE, self, 0, address);
            links.send(GlobalAddress.home(address), buffer, length);
            await(done, "free of " + GlobalAddress.toString(address), GlobalAddress.home(address));
        }
        finally
        {
            frees.remove(address);
        }
    }

    // ---------------------------------------------------------------- reads

    @Override
    public long getLong(final long address)
    {
        return (address & 7) == 0 ? readable(address, 8).getLongVolatile(offsetInPage(address)) :
            getUnaligned(address, 8);
    }

    @Override
    public int getInt(final long address)
    {
        return (address & 3) == 0 ? readable(address, 4).getIntVolatile(offsetInPage(address)) :
            (int)getUnaligned(address, 4);
    }

    @Override
    public short getShort(final long address)
    {
        return (address & 1) == 0 ? readable(address, 2).getShortVolatile(offsetInPage(address)) :
            (short)getUnaligned(address, 2);
    }

    @Override
    public byte getByte(final long address)
    {
        return readable(address, 1).getByteVolatile(offsetInPage(address));
    }

    @Override
    public void getBytes(final long address, final byte[] dst, final int offset, final int length)
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
        final CachedPage page = lookup(address >>> pageShift);
        if (null != page && page.state != CachedPage.INVALID)
        {
            final UnsafeBuffer data = page.data;
            if (null != data)
            {
                checkBounds(page.allocStart, page.allocEnd, address, size);
                return data;
            }
        }
        final CachedPage.Grant granted = miss(address, false);
        checkBounds(granted.allocStart, granted.allocEnd, address, size);
        return granted.data;
    }

    // ---------------------------------------------------------------- writes and atomics

    @Override
    public void putLong(final long address, final long value)
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

    @Override
    public void putInt(final long address, final int value)
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

    @Override
    public void putShort(final long address, final short value)
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

    @Override
    public void putByte(final long address, final byte value)
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

    @Override
    public void putBytes(final long address, final byte[] src, final int offset, final int length)
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

    @Override
    public boolean compareAndSetLong(final long address, final long expected, final long update)
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

    @Override
    public long getAndAddLong(final long address, final long delta)
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

    @Override
    public boolean compareAndSetInt(final long address, final int expected, final int update)
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

    @Override
    public int getAndAddInt(final long address, final int delta)
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
            final CachedPage page = lookup(address >>> pageShift);
            if (null != page && page.state == CachedPage.EXCLUSIVE)
            {
                checkBounds(page.allocStart, page.allocEnd, address, size);
                return page;
            }
            final CachedPage.Grant granted = miss(address, true);
            checkBounds(granted.allocStart, granted.allocEnd, address, size);
        }
    }

    /** @return the record of this page (valid or not), through {@link #recent} when it can. */
    private CachedPage lookup(final long pageNumber)
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

    // ---------------------------------------------------------------- misses

    /**
     * Asks the page's home for a copy (or exclusive ownership) and waits for the grant. Threads of this member that
     * miss on one page while a request is in flight wait for that request instead of sending their own.
     */
    private CachedPage.Grant miss(final long address, final boolean exclusive)
    {
        final long pageNumber = address >>> pageShift;
        final int homeMember = GlobalAddress.home(address);
        while (true)
        {
            if (isDeparted(homeMember))
            {
                throw homeGone(pageNumber, homeMember);
            }
            final CachedPage page = cache.computeIfAbsent(pageNumber, CachedPage::new);
            final CompletableFuture<CachedPage.Grant> request;
            boolean send = false;
            synchronized (page)
            {
                if (cache.get(pageNumber) != page)
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
                final ExpandableArrayBuffer buffer = sendBuffers.get();
                final int length = CoherenceMessage.header(
                    buffer, exclusive ? CoherenceMessage.WRITE : CoherenceMessage.READ, self, pageNumber, 0);
                links.send(GlobalAddress.home(address), buffer, length);
            }
            final CachedPage.Grant granted = await(
                request, "page 0x" + Long.toHexString(pageNumber << pageShift), GlobalAddress.home(address));
            if (!exclusive || page.state == CachedPage.EXCLUSIVE)
            {
                return granted;
            }
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
                describeMember(homeMember) + " in " + TimeUnit.NANOSECONDS.toMillis(missTimeoutNs) + " ms");
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

    // ---------------------------------------------------------------- conductor

    private void runConductor()
    {
        while (running)
        {
            int work = 0;
            try
            {
                Runnable task;
                while (null != (task = conductorTasks.poll()))
                {
                    task.run();
                    work++;
                }
                work += links.poll(this::onMessage, FRAGMENT_LIMIT);
            }
            catch (final RuntimeException ex)
            {
                VirgoLog.error("shared heap member " + self + ": " + ex.getMessage(), ex);
            }
            idle.idle(work);
        }
    }

    private void onMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        try
        {
            message.wrap(buffer, offset, length);
        }
        catch (final MalformedMessageException ex)
        {
            malformedCount++;
            VirgoLog.warn("shared heap member " + self + " dropped malformed message #" + malformedCount + ": " +
                ex.getMessage());
            return;
        }
        switch (message.type())
        {
            case CoherenceMessage.READ: onRequest(message.page(), message.from(), false); break;
            case CoherenceMessage.WRITE: onRequest(message.page(), message.from(), true); break;
            case CoherenceMessage.DATA: onData(); break;
            case CoherenceMessage.INVALIDATE:
                onInvalidate(message.page(), message.from(), message.correlation());
                break;
            case CoherenceMessage.INVALIDATE_ACK:
                onInvalidateAck(message.page(), message.from(), message.correlation());
                break;
            case CoherenceMessage.FETCH:
                onFetch(message.page(), message.from(), message.invalidate(), message.correlation());
                break;
            case CoherenceMessage.FETCH_REPLY:
                onFetchReply(message.page(), message.from(), message.correlation());
                break;
            case CoherenceMessage.NACK: onNack(message.page(), message.correlation(), message.reason()); break;
            case CoherenceMessage.FREE: onFree(message.correlation(), message.from()); break;
            case CoherenceMessage.FREE_ACK: onFreeAck(message.correlation()); break;
            default: break;
        }
    }

    // As a member holding copies.

    private void onData()
    {
        if (isDeparted(GlobalAddress.home(message.page() << pageShift)))
        {
            return; // a late grant from a home that left: its memory is gone, and so is this copy
        }
        final byte[] bytes = new byte[pageSizeBytes];
        message.getPageBytes(bytes);
        final CachedPage page = cache.computeIfAbsent(message.page(), CachedPage::new);
        final UnsafeBuffer data = new UnsafeBuffer(bytes);
        final CompletableFuture<CachedPage.Grant> request;
        final CachedPage.Grant grant =
            new CachedPage.Grant(data, message.allocStart(), message.allocStart() + message.allocLength());
        synchronized (page)
        {
            page.allocStart = message.allocStart();
            page.allocEnd = message.allocStart() + message.allocLength();
            page.data = data;
            page.state = message.exclusive() ? CachedPage.EXCLUSIVE : CachedPage.SHARED;
            request = page.pending;
            page.pending = null;
        }
        if (cache.size() > maxCachedPages)
        {
            // Before the waiting threads go on, so the bound holds when their access returns.
            evictCleanCopies(message.page());
        }
        if (null != request)
        {
            request.complete(grant);
        }
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

    private void onInvalidate(final long pageNumber, final int homeMember, final long transaction)
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
        reply(homeMember, CoherenceMessage.header(
            conductorBuffer, CoherenceMessage.INVALIDATE_ACK, self, pageNumber, transaction));
    }

    private void onFetch(
        final long pageNumber, final int homeMember, final boolean invalidate, final long transaction)
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
        reply(homeMember, CoherenceMessage.fetchReply(conductorBuffer, self, pageNumber, transaction, bytes));
    }

    private void onNack(final long pageNumber, final long freedAddress, final String reason)
    {
        if (freedAddress != 0)
        {
            final CompletableFuture<Void> done = frees.get(freedAddress);
            if (null != done)
            {
                done.completeExceptionally(new SharedMemoryException(reason));
            }
            return;
        }
        final CachedPage page = cache.get(pageNumber);
        if (null == page)
        {
            return;
        }
        final CompletableFuture<CachedPage.Grant> request;
        synchronized (page)
        {
            request = page.pending;
            page.pending = null;
        }
        if (null != request)
        {
            request.completeExceptionally(new SharedMemoryException(reason));
        }
    }

    private void onFreeAck(final long address)
    {
        final CompletableFuture<Void> done = frees.get(address);
        if (null != done)
        {
            done.complete(null);
        }
    }

    // As the home of pages.

    private void onRequest(final long pageNumber, final int from, final boolean exclusive)
    {
        final HomeDirectory.Allocation allocation = home.allocationOf(pageNumber);
        if (null == allocation)
        {
            reply(from, CoherenceMessage.nack(conductorBuffer, self, pageNumber, 0, "address 0x" +
                Long.toHexString(pageNumber << pageShift) + " is not allocated (never, or freed) at its home member " +
                self));
            return;
        }
        final HomeDirectory.Entry entry = home.entry(pageNumber);
        if (entry.lostWith != HomeDirectory.NO_OWNER)
        {
            reply(from, CoherenceMessage.nack(conductorBuffer, self, pageNumber, 0, lostReason(pageNumber, entry)));
            return;
        }
        entry.queue.add(new HomeDirectory.Request(exclusive, from));
        if (null == entry.current)
        {
            startNext(pageNumber, entry);
        }
    }

    private void startNext(final long pageNumber, final HomeDirectory.Entry entry)
    {
        while (null == entry.current && !entry.queue.isEmpty())
        {
            final HomeDirectory.Request request = entry.queue.poll();
            request.id = home.nextTransactionId();
            entry.current = request;
            if (entry.owner != HomeDirectory.NO_OWNER)
            {
                // The owner's copy is the current one: take it back (and, for a writer, take it away) first.
                request.awaitingFetch = true;
                reply(entry.owner,
                    CoherenceMessage.fetch(conductorBuffer, self, pageNumber, request.id, request.exclusive));
                return;
            }
            proceed(pageNumber, entry);
        }
    }

    /** The master copy is current: grant a read copy, or invalidate the others before granting ownership. */
    private void proceed(final long pageNumber, final HomeDirectory.Entry entry)
    {
        final HomeDirectory.Request request = entry.current;
        if (!request.exclusive)
        {
            entry.copyset |= 1L << request.from;
            grant(pageNumber, entry, false);
            return;
        }
        final long others = entry.copyset & ~(1L << request.from);
        if (others != 0)
        {
            request.awaitingAcks = others;
            for (int member = 0; member < MAX_MEMBERS; member++)
            {
                if ((others & (1L << member)) != 0)
                {
                    reply(member, CoherenceMessage.header(
                        conductorBuffer, CoherenceMessage.INVALIDATE, self, pageNumber, request.id));
                }
            }
            return;
        }
        entry.copyset = 0;
        entry.owner = request.from;
        grant(pageNumber, entry, true);
    }

    private void grant(final long pageNumber, final HomeDirectory.Entry entry, final boolean exclusive)
    {
        final HomeDirectory.Request request = entry.current;
        final HomeDirectory.Allocation allocation = home.allocationOf(pageNumber);
        if (isDeparted(request.from))
        {
            // The requester left while its request was served: the master copy stays the current one.
            if (exclusive)
            {
                entry.owner = HomeDirectory.NO_OWNER;
            }
            entry.copyset &= ~(1L << request.from);
            entry.current = null;
            startNext(pageNumber, entry);
            return;
        }
        reply(request.from, CoherenceMessage.data(conductorBuffer, self, pageNumber, exclusive,
            allocation.start, allocation.length, entry.master));
        entry.current = null;
        startNext(pageNumber, entry);
    }

    private void onFetchReply(final long pageNumber, final int from, final long transaction)
    {
        final HomeDirectory.Entry entry = home.entries.get(pageNumber);
        if (null == entry || null == entry.current || !entry.current.awaitingFetch ||
            entry.current.id != transaction)
        {
            return;
        }
        message.getPageBytes(entry.master);
        entry.current.awaitingFetch = false;
        entry.owner = HomeDirectory.NO_OWNER;
        if (entry.current.exclusive)
        {
            entry.copyset &= ~(1L << from);
        }
        else
        {
            entry.copyset |= 1L << from;
        }
        proceed(pageNumber, entry);
    }

    private void onInvalidateAck(final long pageNumber, final int from, final long transaction)
    {
        final HomeDirectory.PendingFree freeing = home.freeing.get(pageNumber);
        if (null != freeing && freeing.id == transaction)
        {
            freeAcknowledged(freeing, pageNumber, from);
            return;
        }
        final HomeDirectory.Entry entry = home.entries.get(pageNumber);
        if (null == entry || null == entry.current || entry.current.awaitingAcks == 0 ||
            entry.current.id != transaction)
        {
            return;
        }
        invalidationAcknowledged(pageNumber, entry, from);
    }

    private void invalidationAcknowledged(final long pageNumber, final HomeDirectory.Entry entry, final int from)
    {
        final HomeDirectory.Request request = entry.current;
        if ((request.awaitingAcks & (1L << from)) == 0)
        {
            return;
        }
        request.awaitingAcks &= ~(1L << from);
        if (request.awaitingAcks == 0)
        {
            entry.copyset = 0;
            entry.owner = request.from;
            grant(pageNumber, entry, true);
        }
    }

    private void freeAcknowledged(final HomeDirectory.PendingFree freeing, final long pageNumber, final int from)
    {
        final Long awaiting = freeing.awaitingAcks.get(pageNumber);
        if (null == awaiting || (awaiting & (1L << from)) == 0)
        {
            return;
        }
        final long left = awaiting & ~(1L << from);
        if (left != 0)
        {
            freeing.awaitingAcks.put(pageNumber, left);
            return;
        }
        freeing.awaitingAcks.remove(pageNumber);
        if (freeing.awaitingAcks.isEmpty())
        {
            home.freeing.values().removeIf(pending -> pending == freeing);
            freed(freeing);
        }
    }

    private String lostReason(final long pageNumber, final HomeDirectory.Entry entry)
    {
        return "page 0x" + Long.toHexString(pageNumber << pageShift) + ": its only current copy was on " +
            describeMember(entry.lostWith) + ", which left the shared heap; the data is lost";
    }

    /** Any thread: forgets every copy of memory homed at a member that left, failing the requests in flight. */
    private void dropCopiesHomedAt(final int gone)
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
                request.completeExceptionally(homeGone(page.page, gone));
            }
        }
        for (final Map.Entry<Long, CompletableFuture<Void>> free : frees.entrySet())
        {
            if (GlobalAddress.home(free.getKey()) == gone)
            {
                free.getValue().completeExceptionally(homeGone(free.getKey() >>> pageShift, gone));
            }
        }
    }

    private void onMemberLeft(final int gone)
    {
        final long bit = 1L << gone;
        links.disconnect(gone);
        dropCopiesHomedAt(gone); // again: a grant may have been in flight while the caller dropped them
        // As a home: it holds no copies any more, waits for nothing, and what only it had is lost.
        for (final HomeDirectory.PendingFree freeing : new ArrayList<>(home.freeing.values()))
        {
            for (final Long pageNumber : new ArrayList<>(freeing.awaitingAcks.keySet()))
            {
                if (home.freeing.get(pageNumber) == freeing)
                {
                    freeAcknowledged(freeing, pageNumber, gone);
                }
            }
        }
        for (final Map.Entry<Long, HomeDirectory.Entry> pageEntry :
            new ArrayList<>(home.entries.entrySet()))
        {
            final long pageNumber = pageEntry.getKey();
            final HomeDirectory.Entry entry = pageEntry.getValue();
            entry.copyset &= ~bit;
            entry.queue.removeIf(request -> request.from == gone);
            if (entry.owner == gone)
            {
                entry.owner = HomeDirectory.NO_OWNER;
                entry.lostWith = gone;
            }
            final HomeDirectory.Request current = entry.current;
            if (null != current)
            {
                if (current.awaitingFetch && entry.lostWith == gone)
                {
                    entry.current = null;
                    reply(current.from, CoherenceMessage.nack(
                        conductorBuffer, self, pageNumber, 0, lostReason(pageNumber, entry)));
                }
                else if ((current.awaitingAcks & bit) != 0)
                {
                    invalidationAcknowledged(pageNumber, entry, gone);
                }
            }
            if (entry.lostWith != HomeDirectory.NO_OWNER)
            {
                for (final HomeDirectory.Request waiting : entry.queue)
                {
                    reply(waiting.from, CoherenceMessage.nack(
                        conductorBuffer, self, pageNumber, 0, lostReason(pageNumber, entry)));
                }
                entry.queue.clear();
            }
            if (null == entry.current)
            {
                startNext(pageNumber, entry);
            }
        }
    }

    /**
     * Frees an allocation: requests for its pages are refused from now on (and those waiting are refused), every
     * copy is invalidated, and only when every holder has acknowledged are the pages reusable and the free done, so
     * no member can keep a stale copy of memory that is handed out again.
     */
    private void onFree(final long address, final int from)
    {
        final HomeDirectory.Allocation allocation =
            GlobalAddress.home(address) == self ? home.unmap(address) : null;
        if (null == allocation)
        {
            reply(from, CoherenceMessage.nack(conductorBuffer, self, 0, address, "free(" +
                GlobalAddress.toString(address) + "): not the start of an allocation at its home member " + self +
                " (never allocated, or freed)"));
            return;
        }
        final HomeDirectory.PendingFree pending =
            new HomeDirectory.PendingFree(home.nextTransactionId(), allocation, from);
        for (long p = 0; p < allocation.pages; p++)
        {
            final long pageNumber = (allocation.start >>> pageShift) + p;
            final HomeDirectory.Entry entry = home.entries.remove(pageNumber);
            if (null == entry)
            {
                continue;
            }
            long holders = entry.copyset;
            if (entry.owner != HomeDirectory.NO_OWNER)
            {
                holders |= 1L << entry.owner;
            }
            if (null != entry.current)
            {
                // A transaction in flight may have copies out that the entry does not list yet: invalidate the
                // requester too, and any member it was fetching from or invalidating.
                holders |= 1L << entry.current.from;
            }
            holders &= ~departed;
            if (holders != 0)
            {
                home.freeing.put(pageNumber, pending);
                pending.awaitingAcks.put(pageNumber, holders);
            }
            for (int member = 0; member < MAX_MEMBERS; member++)
            {
                if ((holders & (1L << member)) != 0)
                {
                    reply(member, CoherenceMessage.header(
                        conductorBuffer, CoherenceMessage.INVALIDATE, self, pageNumber, pending.id));
                }
            }
            final String reason = "address 0x" + Long.toHexString(pageNumber << pageShift) +
                " was freed while waiting for it";
            if (null != entry.current)
            {
                reply(entry.current.from, CoherenceMessage.nack(conductorBuffer, self, pageNumber, 0, reason));
            }
            for (final HomeDirectory.Request waiting : entry.queue)
            {
                reply(waiting.from, CoherenceMessage.nack(conductorBuffer, self, pageNumber, 0, reason));
            }
        }
        if (pending.awaitingAcks.isEmpty())
        {
            freed(pending);
        }
    }

    private void freed(final HomeDirectory.PendingFree pending)
    {
        home.reuse(pending.allocation);
        reply(pending.from, CoherenceMessage.header(
            conductorBuffer, CoherenceMessage.FREE_ACK, self, 0, pending.allocation.start));
    }

    private void reply(final int to, final int length)
    {
        if (isDeparted(to))
        {
            return; // it left: nothing it asked for matters, and nothing it would answer will come
        }
        links.send(to, conductorBuffer, length);
    }

    /** Stops the conductor; the links are the caller's to close. */
    @Override
    public void close()
    {
        running = false;
        try
        {
            conductor.join(5_000);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
