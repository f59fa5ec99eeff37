package dev.virgo.dsm.member;

import dev.virgo.api.heap.GlobalAddress;
import dev.virgo.dsm.protocol.CoherenceMessage;

import java.util.ArrayList;
import java.util.Map;

/**
 * The home of the pages this member allocated: it keeps their master copies and directory ({@link HomeDirectory}),
 * and serves the requests for them one transaction per page at a time, in arrival order; {@link HomeFrees} frees
 * their allocations.
 *
 * <p>A read request adds the reader to the copy set, after taking the current data back from the owner if one holds
 * the page exclusively (the owner keeps a read copy). A write request takes the data back from any owner,
 * invalidates every other copy and waits for every acknowledgement, and only then grants ownership.
 *
 * <p>Threads: allocation is called by application threads ({@link HomeDirectory} synchronizes it); everything else
 * runs on the conductor, which alone touches the directory entries: here, and in {@link HomeFrees}, which takes a
 * freed page's entry out of the directory and so ends its transactions.
 */
final class PageHome
{
    private final int self;
    private final int pageShift;
    private final HomeDirectory home;
    private final CoherenceProxy proxy;
    private final Roster roster;
    private final HomeFrees frees;

    PageHome(final int self, final int pageSizeBytes, final CoherenceProxy proxy, final Roster roster)
    {
        this.self = self;
        this.pageShift = Integer.numberOfTrailingZeros(pageSizeBytes);
        this.home = new HomeDirectory(GlobalAddress.of(self, 0), pageSizeBytes);
        this.proxy = proxy;
        this.roster = roster;
        this.frees = new HomeFrees(self, pageShift, home, proxy, roster);
    }

    /** Any thread. @return the start address of a new allocation homed here. */
    long allocate(final long bytes)
    {
        return home.allocate(bytes).start;
    }

    /** FREE: see {@link HomeFrees#onFree}. */
    void onFree(final long address, final int from)
    {
        frees.onFree(address, from);
    }

    /** READ or WRITE: queued behind the page's transaction in progress, if there is one. */
    void onRequest(final long pageNumber, final int from, final boolean exclusive)
    {
        final HomeDirectory.Allocation allocation = home.allocationOf(pageNumber);
        if (null == allocation)
        {
            proxy.nack(from, pageNumber, 0, "address 0x" + Long.toHexString(pageNumber << pageShift) +
                " is not allocated (never, or freed) at its home member " + self);
            return;
        }
        final HomeDirectory.Entry entry = home.entry(pageNumber);
        if (entry.lostWith != HomeDirectory.NO_OWNER)
        {
            proxy.nack(from, pageNumber, 0, lostReason(pageNumber, entry));
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
                proxy.fetch(entry.owner, pageNumber, request.id, request.exclusive);
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
            proxy.invalidate(others, pageNumber, request.id);
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
        if (roster.isDeparted(request.from))
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
        proxy.data(request.from, pageNumber, exclusive, allocation.start, allocation.length, entry.master);
        entry.current = null;
        startNext(pageNumber, entry);
    }

    /**
     * FETCH_REPLY: the owner gave the current data back; {@code message} carries it.
     *
     * @return false when no transaction of the page waits for a fetch from {@code from}: unsolicited, and dropped.
     */
    boolean onFetchReply(final long pageNumber, final int from, final long transaction, final CoherenceMessage message)
    {
        final HomeDirectory.Entry entry = home.entries.get(pageNumber);
        // Only the owner the home fetched from may answer: any other member's data would become the master copy.
        if (null == entry || null == entry.current || !entry.current.awaitingFetch ||
            entry.current.id != transaction || entry.owner != from)
        {
            return false;
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
        return true;
    }

    /**
     * INVALIDATE_ACK: for a free in progress, or for the write waiting for it.
     *
     * @return false when nothing waits for {@code from}'s acknowledgement: unsolicited, and dropped.
     */
    boolean onInvalidateAck(final long pageNumber, final int from, final long transaction)
    {
        if (frees.isFreeing(pageNumber, transaction))
        {
            return frees.onInvalidateAck(pageNumber, from, transaction);
        }
        final HomeDirectory.Entry entry = home.entries.get(pageNumber);
        if (null == entry || null == entry.current || entry.current.awaitingAcks == 0 ||
            entry.current.id != transaction)
        {
            return false;
        }
        return invalidationAcknowledged(pageNumber, entry, from);
    }

    private boolean invalidationAcknowledged(final long pageNumber, final HomeDirectory.Entry entry, final int from)
    {
        final HomeDirectory.Request request = entry.current;
        if ((request.awaitingAcks & (1L << from)) == 0)
        {
            return false;
        }
        request.awaitingAcks &= ~(1L << from);
        if (request.awaitingAcks == 0)
        {
            entry.copyset = 0;
            entry.owner = request.from;
            grant(pageNumber, entry, true);
        }
        return true;
    }

    private String lostReason(final long pageNumber, final HomeDirectory.Entry entry)
    {
        return "page 0x" + Long.toHexString(pageNumber << pageShift) + ": its only current copy was on " +
            roster.describe(entry.lostWith) + ", which left the shared heap; the data is lost";
    }

    /** A member left: it holds no copies any more, nothing waits for it, and what only it had is lost. */
    void memberLeft(final int gone)
    {
        final long bit = 1L << gone;
        frees.memberLeft(gone);
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
                    proxy.nack(current.from, pageNumber, 0, lostReason(pageNumber, entry));
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
                    proxy.nack(waiting.from, pageNumber, 0, lostReason(pageNumber, entry));
                }
                entry.queue.clear();
            }
            if (null == entry.current)
            {
                startNext(pageNumber, entry);
            }
        }
    }
}
