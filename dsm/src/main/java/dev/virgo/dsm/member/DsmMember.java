package dev.virgo.dsm.member;

import dev.virgo.api.heap.SharedMemory;
import dev.virgo.api.heap.SharedMemoryException;

import java.util.concurrent.TimeUnit;

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
 * <p>This class wires the member's roles and keeps none of the protocol's state itself: the {@link PageCache} (this
 * member's copies), {@link PageAccess} (the threads' loads and stores on them), the {@link Requester} (misses and
 * frees, and waiting for their answers), the {@link PageHome} (the pages homed here), the {@link CoherenceProxy} and
 * {@link CoherenceAdapter} (encoding and sending, decoding and dispatching), the {@link Roster} (who left) and the
 * {@link MemberConductor}.
 *
 * <p>Threads: application threads run the hit path and send their own requests; one conductor thread handles every
 * message, both the member's (grants, invalidations, fetches) and the home's (requests, acknowledgements).
 */
public final class DsmMember implements SharedMemory, AutoCloseable
{
    /** Up to 64 members: copy sets are bit masks. */
    public static final int MAX_MEMBERS = 64;

    /** Default bound on this member's copies of pages: 64 Ki pages, 256 MiB at 4 KiB. */
    public static final int MAX_CACHED_PAGES_DEFAULT = 64 * 1024;

    private final int self;
    private final int pageSizeBytes;
    private final MemberLinks links;
    private final Roster roster;
    private final PageCache cache;
    private final PageAccess access;
    private final Requester requester;
    private final PageHome home;
    private final CoherenceAdapter adapter;
    private final MemberConductor conductor;

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
        this.roster = new Roster(Integer.numberOfTrailingZeros(pageSizeBytes));
        final CoherenceProxy proxy = new CoherenceProxy(self, links, roster);
        this.cache = new PageCache(pageSizeBytes, maxCachedPages, proxy, roster);
        this.requester = new Requester(
            self, pageSizeBytes, TimeUnit.MILLISECONDS.toNanos(missTimeoutMs), cache, proxy, roster);
        this.access = new PageAccess(pageSizeBytes, cache, requester);
        this.home = new PageHome(self, pageSizeBytes, proxy, roster);
        this.adapter = new CoherenceAdapter(self, pageSizeBytes, links, cache, requester, home);
        this.conductor = new MemberConductor(self, links, adapter, idleStrategy);
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
        return requester.requestsSent();
    }

    /**
     * @return how many coherence messages this member dropped for {@code why}: messages its inbox accepted that fail
     * the checks of who sent them, of their ranges, or of whether anything waits for them.
     */
    public long droppedMessageCount(final CoherenceDrop why)
    {
        return adapter.dropped(why);
    }

    /** @return frames this member's inbox refused: failing their tag, replayed, or of a session it does not know. */
    public long refusedFrameCount()
    {
        return links.refusedFrameCount();
    }

    /** Names a member in error messages, e.g. {@code node-2}. */
    public void nameMember(final int member, final String name)
    {
        roster.name(member, name);
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
        roster.depart(member);
        requester.homeLeft(member); // at once, so that no access after this call hits a copy of its memory
        conductor.submit(() -> onMemberLeft(member));
    }

    /** On the conductor. */
    private void onMemberLeft(final int gone)
    {
        links.disconnect(gone);
        requester.homeLeft(gone); // again: a grant may have been in flight while the caller dropped them
        home.memberLeft(gone);
    }

    @Override
    public int pageSizeBytes()
    {
        return pageSizeBytes;
    }

    @Override
    public long malloc(final long bytes)
    {
        if (bytes <= 0)
        {
            throw new SharedMemoryException("malloc(" + bytes + "): size must be positive");
        }
        return home.allocate(bytes);
    }

    @Override
    public void free(final long address)
    {
        requester.free(address);
    }

    @Override
    public long getLong(final long address)
    {
        return access.getLong(address);
    }

    @Override
    public int getInt(final long address)
    {
        return access.getInt(address);
    }

    @Override
    public short getShort(final long address)
    {
        return access.getShort(address);
    }

    @Override
    public byte getByte(final long address)
    {
        return access.getByte(address);
    }

    @Override
    public void getBytes(final long address, final byte[] dst, final int offset, final int length)
    {
        access.getBytes(address, dst, offset, length);
    }

    @Override
    public void putLong(final long address, final long value)
    {
        access.putLong(address, value);
    }

    @Override
    public void putInt(final long address, final int value)
    {
        access.putInt(address, value);
    }

    @Override
    public void putShort(final long address, final short value)
    {
        access.putShort(address, value);
    }

    @Override
    public void putByte(final long address, final byte value)
    {
        access.putByte(address, value);
    }

    @Override
    public void putBytes(final long address, final byte[] src, final int offset, final int length)
    {
        access.putBytes(address, src, offset, length);
    }

    @Override
    public boolean compareAndSetLong(final long address, final long expected, final long update)
    {
        return access.compareAndSetLong(address, expected, update);
    }

    @Override
    public long getAndAddLong(final long address, final long delta)
    {
        return access.getAndAddLong(address, delta);
    }

    @Override
    public boolean compareAndSetInt(final long address, final int expected, final int update)
    {
        return access.compareAndSetInt(address, expected, update);
    }

    @Override
    public int getAndAddInt(final long address, final int delta)
    {
        return access.getAndAddInt(address, delta);
    }

    /** Stops the conductor; the links are the caller's to close. */
    @Override
    public void close()
    {
        conductor.close();
    }
}
