package dev.virgo.dsm.member;

import dev.virgo.dsm.protocol.CoherenceMessage;
import org.agrona.ExpandableArrayBuffer;

/**
 * Encodes this member's coherence messages and sends them over its links.
 *
 * <p>Threads: a request (READ, WRITE, FREE) is sent by the application thread that needs it, encoded in that
 * thread's own buffer. Everything else is the conductor answering a home or acting as one, encoded in one buffer only
 * the conductor uses, and never sent to a member that left.
 */
final class CoherenceProxy
{
    private final int self;
    private final MemberLinks links;
    private final Roster roster;
    private final ThreadLocal<ExpandableArrayBuffer> sendBuffers =
        ThreadLocal.withInitial(() -> new ExpandableArrayBuffer(128));
    /** Conductor only. */
    private final ExpandableArrayBuffer conductorBuffer = new ExpandableArrayBuffer(8192);

    CoherenceProxy(final int self, final MemberLinks links, final Roster roster)
    {
        this.self = self;
        this.links = links;
        this.roster = roster;
    }

    // Any thread: requests to a home.

    void request(final int homeMember, final long pageNumber, final boolean exclusive)
    {
        final ExpandableArrayBuffer buffer = sendBuffers.get();
        final int length = CoherenceMessage.header(
            buffer, exclusive ? CoherenceMessage.WRITE : CoherenceMessage.READ, self, pageNumber, 0);
        links.send(homeMember, buffer, length);
    }

    void free(final int homeMember, final long address)
    {
        final ExpandableArrayBuffer buffer = sendBuffers.get();
        final int length = CoherenceMessage.header(buffer, CoherenceMessage.FREE, self, 0, address);
        links.send(homeMember, buffer, length);
    }

    // Conductor: a holder of copies answering their home.

    void invalidateAck(final int homeMember, final long pageNumber, final long transaction)
    {
        reply(homeMember, CoherenceMessage.header(
            conductorBuffer, CoherenceMessage.INVALIDATE_ACK, self, pageNumber, transaction));
    }

    void fetchReply(final int homeMember, final long pageNumber, final long transaction, final byte[] bytes)
    {
        reply(homeMember, CoherenceMessage.fetchReply(conductorBuffer, self, pageNumber, transaction, bytes));
    }

    // Conductor: the home of pages.

    void data(
        final int to, final long pageNumber, final boolean exclusive, final long allocStart, final long allocLength,
        final byte[] bytes)
    {
        reply(to, CoherenceMessage.data(conductorBuffer, self, pageNumber, exclusive, allocStart, allocLength, bytes));
    }

    /** Sends INVALIDATE to every member in {@code holders}, a bit mask, lowest id first. */
    void invalidate(final long holders, final long pageNumber, final long transaction)
    {
        for (int member = 0; member < DsmMember.MAX_MEMBERS; member++)
        {
            if ((holders & (1L << member)) != 0)
            {
                reply(member, CoherenceMessage.header(
                    conductorBuffer, CoherenceMessage.INVALIDATE, self, pageNumber, transaction));
            }
        }
    }

    void fetch(final int owner, final long pageNumber, final long transaction, final boolean invalidate)
    {
        reply(owner, CoherenceMessage.fetch(conductorBuffer, self, pageNumber, transaction, invalidate));
    }

    /** @param freedAddress the address of a refused FREE, else 0 (then {@code pageNumber} names the refused page). */
    void nack(final int to, final long pageNumber, final long freedAddress, final String reason)
    {
        reply(to, CoherenceMessage.nack(conductorBuffer, self, pageNumber, freedAddress, reason));
    }

    void freeAck(final int to, final long address)
    {
        reply(to, CoherenceMessage.header(conductorBuffer, CoherenceMessage.FREE_ACK, self, 0, address));
    }

    private void reply(final int to, final int length)
    {
        if (roster.isDeparted(to))
        {
            return; // it left: nothing it asked for matters, and nothing it would answer will come
        }
        links.send(to, conductorBuffer, length);
    }
}
