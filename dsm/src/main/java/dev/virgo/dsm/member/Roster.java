package dev.virgo.dsm.member;

import dev.virgo.api.heap.SharedMemoryException;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is in the heap, as every role of a member needs to know it: which members left (their memory went with them,
 * and nothing is sent to them any more), and the members' names for error messages.
 *
 * <p>Threads: {@link #depart} is called by the one thread that reports departures (the origin's conductor, a node's
 * control thread); {@link #name} before the heap is used; every role reads, on any thread.
 */
final class Roster
{
    private final int pageShift;
    /** The members that left the heap, as a bit mask: their pages are gone, and nothing is sent to them. */
    private volatile long departed;
    private final ConcurrentHashMap<Integer, String> memberNames = new ConcurrentHashMap<>();

    Roster(final int pageShift)
    {
        this.pageShift = pageShift;
    }

    /** Names a member in error messages, e.g. {@code node-2}. */
    void name(final int member, final String name)
    {
        memberNames.put(member, name);
    }

    void depart(final int member)
    {
        departed |= 1L << member;
    }

    boolean isDeparted(final int member)
    {
        return (departed & (1L << member)) != 0;
    }

    /** @return the members that left, as a bit mask. */
    long departed()
    {
        return departed;
    }

    String describe(final int member)
    {
        final String name = memberNames.get(member);
        return "member " + member + (null != name ? " (" + name + ")" : "");
    }

    SharedMemoryException homeGone(final long pageNumber, final int homeMember)
    {
        return new SharedMemoryException("page 0x" + Long.toHexString(pageNumber << pageShift) + ": its home " +
            describe(homeMember) + " left the shared heap, and its memory with it");
    }
}
