package dev.virgo.dsm.member;

import dev.virgo.api.heap.SharedMemoryException;
import dev.virgo.runtime.transport.AeronTransport;
import dev.virgo.runtime.transport.Inbox;
import dev.virgo.runtime.transport.MessageHandler;
import dev.virgo.runtime.transport.Outbox;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * How a member reaches the others: one Aeron inbox, one outbox per peer, and a queue for messages to itself (a
 * member is also the home of its own pages, and goes through the same protocol for them).
 *
 * <p>A member opens its inbox first ({@link #MemberLinks(int, AeronTransport, String, int)}), so that its resolved
 * channel (an ephemeral UDP port) can be told to the others, then {@link #connect connects} to the peers once it knows
 * where they receive. A member alone (an origin with no nodes) has no transport at all.
 */
public final class MemberLinks implements AutoCloseable
{
    private static final long SEND_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    private final int self;
    private final AeronTransport transport;
    private final Inbox inbox;
    private final Map<Integer, Outbox> outboxes = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<byte[]> toSelf = new ConcurrentLinkedQueue<>();

    /**
     * Opens the inbox and connects to every peer at once.
     *
     * @param self      this member's id.
     * @param transport the Aeron transport to open the links on.
     * @param channels  every member's (including this one's) receiving channel, by member id.
     * @param streams   every member's receiving stream, by member id.
     */
    public MemberLinks(
        final int self, final AeronTransport transport, final Map<Integer, String> channels,
        final Map<Integer, Integer> streams)
    {
        this(self, transport, channels.get(self), streams.get(self));
        connect(channels, streams);
    }

    /**
     * Opens this member's inbox; {@link #connect} adds the peers.
     *
     * @param transport null for a member alone, which has neither inbox nor peers.
     */
    public MemberLinks(final int self, final AeronTransport transport, final String inboxChannel, final int inboxStream)
    {
        this.self = self;
        this.transport = transport;
        this.inbox = null == transport ? null : transport.openInbox(inboxChannel, inboxStream);
    }

    /** @return a member with no peers and no transport: a heap of one JVM. */
    public static MemberLinks alone(final int self)
    {
        return new MemberLinks(self, null, null, 0);
    }

    /** Opens an outbox to every member in {@code channels} other than this one that has none yet. */
    public void connect(final Map<Integer, String> channels, final Map<Integer, Integer> streams)
    {
        for (final Map.Entry<Integer, String> peer : channels.entrySet())
        {
            final int member = peer.getKey();
            if (member != self && !outboxes.containsKey(member))
            {
                outboxes.put(member, transport.openOutbox(peer.getValue(), streams.get(member)));
            }
        }
    }

    public int self()
    {
        return self;
    }

    /** @return the channel this member receives on, resolved (a UDP endpoint's actual port). */
    public String inboxChannel()
    {
        return inbox.resolvedChannel();
    }

    public int inboxStream()
    {
        return inbox.streamId();
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
            throw new SharedMemoryException("member " + self + " has no link to member " + to);
        }
        outbox.send(buffer, 0, length, SEND_TIMEOUT_NS);
    }

    boolean isConnectedTo(final int member)
    {
        final Outbox outbox = outboxes.get(member);
        return member == self || (null != outbox && outbox.isConnected());
    }

    /** Stops sending to a member that left; later sends to it fail at once. */
    void disconnect(final int member)
    {
        final Outbox outbox = outboxes.remove(member);
        if (null != outbox)
        {
            outbox.close();
        }
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
        return null == inbox ? work : work + inbox.poll(handler, fragmentLimit);
    }

    @Override
    public void close()
    {
        for (final Outbox outbox : outboxes.values())
        {
            outbox.close();
        }
        outboxes.clear();
        if (null != inbox)
        {
            inbox.close();
        }
    }
}
