package dev.virgo.dsm.member;

import dev.virgo.api.VirgoException;
import dev.virgo.runtime.transport.AeronTransport;
import dev.virgo.runtime.transport.Inbox;
import dev.virgo.runtime.transport.MessageHandler;
import dev.virgo.runtime.transport.Outbox;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * How a member reaches the others: one Aeron inbox, one outbox per peer, and a queue for messages to itself (a
 * member is also the home of its own pages, and goes through the same protocol for them).
 */
public final class MemberLinks implements AutoCloseable
{
    private static final long SEND_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    private final int self;
    private final Inbox inbox;
    private final Map<Integer, Outbox> outboxes = new HashMap<>();
    private final ConcurrentLinkedQueue<byte[]> toSelf = new ConcurrentLinkedQueue<>();

    /**
     * @param self      this member's id.
     * @param transport the Aeron transport to open the links on.
     * @param channels  every member's (including this one's) receiving channel, by member id.
     * @param streams   every member's receiving stream, by member id.
     */
    public MemberLinks(
        final int self, final AeronTransport transport, final Map<Integer, String> channels,
        final Map<Integer, Integer> streams)
    {
        this.self = self;
        this.inbox = transport.openInbox(channels.get(self), streams.get(self));
        for (final Map.Entry<Integer, String> peer : channels.entrySet())
        {
            if (peer.getKey() != self)
            {
                outboxes.put(peer.getKey(), transport.openOutbox(peer.getValue(), streams.get(peer.getKey())));
            }
        }
    }

    public int self()
    {
        return self;
    }

    /** Thread-safe. */
    void send(final int to, final DirectBuffer buffer, final int length)
    {
        if (to == self)
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(0, copy);
            toSelf.add(copy);
            return;
        }
        final Outbox outbox = outboxes.get(to);
        if (null == outbox)
        {
            throw new VirgoException("member " + self + " has no link to member " + to);
        }
        outbox.send(buffer, 0, length, SEND_TIMEOUT_NS);
    }

    boolean isConnectedTo(final int member)
    {
        final Outbox outbox = outboxes.get(member);
        return member == self || (null != outbox && outbox.isConnected());
    }

    /** On the conductor: messages to itself first, then what arrived over Aeron. */
    int poll(final MessageHandler handler, final int fragmentLimit)
    {
        int work = 0;
        byte[] message;
        while (null != (message = toSelf.poll()))
        {
            handler.onMessage(new UnsafeBuffer(message), 0, message.length);
            work++;
        }
        return work + inbox.poll(handler, fragmentLimit);
    }

    @Override
    public void close()
    {
        for (final Outbox outbox : outboxes.values())
        {
            outbox.close();
        }
        inbox.close();
    }
}
