package dev.virgo.dsm.member;

import dev.virgo.api.heap.GlobalAddress;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * The frees of allocations homed at this member, in progress: a free is a transaction of its own, which ends the
 * page transactions of its allocation (see {@link PageHome}) and waits for every holder of a copy to acknowledge its
 * invalidation before the pages can be handed out again.
 *
 * <p>Threads: the conductor only.
 */
final class HomeFrees
{
    /** A free waiting for the holders of its pages to acknowledge their invalidation. */
    static final class PendingFree
    {
        final long id;
        final HomeDirectory.Allocation allocation;
        final int from;
        /** Per page being freed, the members whose invalidation it still waits for; empty when the free is done. */
        final Map<Long, Long> awaitingAcks = new HashMap<>();

        PendingFree(final long id, final HomeDirectory.Allocation allocation, final int from)
        {
            this.id = id;
            this.allocation = allocation;
            this.from = from;
        }
    }

    private final int self;
    private final int pageShift;
    private final HomeDirectory home;
    private final CoherenceProxy proxy;
    private final Roster roster;
    /** Pages being freed, to the free they belong to. */
    private final Map<Long, PendingFree> freeing = new HashMap<>();

    HomeFrees(
        final int self, final int pageShift, final HomeDirectory home, final CoherenceProxy proxy, final Roster roster)
    {
        this.self = self;
        this.pageShift = pageShift;
        this.home = home;
        this.proxy = proxy;
        this.roster = roster;
    }

    /**
     * FREE: frees an allocation. Requests for its pages are refused from now on (and those waiting are refused), every
     * copy is invalidated, and only when every holder has acknowledged are the pages reusable and the free done, so
     * no member can keep a stale copy of memory that is handed out again.
     */
    void onFree(final long address, final int from)
    {
        final HomeDirectory.Allocation allocation =
            GlobalAddress.home(address) == self ? home.unmap(address) : null;
        if (null == allocation)
        {
            proxy.nack(from, 0, address, "free(" + GlobalAddress.toString(address) +
                "): not the start of an allocation at its home member " + self + " (never allocated, or freed)");
            return;
        }
        final PendingFree pending = new PendingFree(home.nextTransactionId(), allocation, from);
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
            holders &= ~roster.departed();
            if (holders != 0)
            {
                freeing.put(pageNumber, pending);
                pending.awaitingAcks.put(pageNumber, holders);
            }
            proxy.invalidate(holders, pageNumber, pending.id);
            final String reason = "address 0x" + Long.toHexString(pageNumber << pageShift) +
                " was freed while waiting for it";
            if (null != entry.current)
            {
                proxy.nack(entry.current.from, pageNumber, 0, reason);
            }
            for (final HomeDirectory.Request waiting : entry.queue)
            {
                proxy.nack(waiting.from, pageNumber, 0, reason);
            }
        }
        if (pending.awaitingAcks.isEmpty())
        {
            freed(pending);
        }
    }

    /** @return true if an INVALIDATE_ACK of this page and transaction is for a free in progress. */
    boolean isFreeing(final long pageNumber, final long transaction)
    {
        final PendingFree pending = freeing.get(pageNumber);
        return null != pending && pending.id == transaction;
    }

    /**
     * INVALIDATE_ACK for a free in progress ({@link #isFreeing}).
     *
     * @return false when the free was not waiting for this member's acknowledgement of the page.
     */
    boolean onInvalidateAck(final long pageNumber, final int from, final long transaction)
    {
        final PendingFree pending = freeing.get(pageNumber);
        return null != pending && pending.id == transaction && freeAcknowledged(pending, pageNumber, from);
    }

    /** A member left: no free waits for its acknowledgement any more. */
    void memberLeft(final int gone)
    {
        for (final PendingFree pending : new ArrayList<>(freeing.values()))
        {
            for (final Long pageNumber : new ArrayList<>(pending.awaitingAcks.keySet()))
            {
                if (freeing.get(pageNumber) == pending)
                {
                    freeAcknowledged(pending, pageNumber, gone);
                }
            }
        }
    }

    /** @return false when the free was not waiting for {@code from}'s acknowledgement of the page. */
    private boolean freeAcknowledged(final PendingFree pending, final long pageNumber, final int from)
    {
        final Long awaiting = pending.awaitingAcks.get(pageNumber);
        if (null == awaiting || (awaiting & (1L << from)) == 0)
        {
            return false;
        }
        final long left = awaiting & ~(1L << from);
        if (left != 0)
        {
            pending.awaitingAcks.put(pageNumber, left);
            return true;
        }
        pending.awaitingAcks.remove(pageNumber);
        if (pending.awaitingAcks.isEmpty())
        {
            freeing.values().removeIf(each -> each == pending);
            freed(pending);
        }
        return true;
    }

    private void freed(final PendingFree pending)
    {
        home.reuse(pending.allocation);
        proxy.freeAck(pending.from, pending.allocation.start);
    }
}
