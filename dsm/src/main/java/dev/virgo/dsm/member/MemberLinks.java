package dev.virgo.dsm.member;

import dev.virgo.api.heap.SharedMemoryException;
import dev.virgo.runtime.security.FrameOpener;
import dev.virgo.runtime.security.FrameSealer;
import dev.virgo.runtime.transport.AeronTransport;
import dev.virgo.runtime.transport.Inbox;
import dev.virgo.runtime.transport.MessageHandler;
import dev.virgo.runtime.transport.Outbox;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Collection;
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
 *
 * <p>Every link is protected with the runtime's frame protection ({@link FrameSealer}, {@link FrameOpener}): what
 * member i sends member j is sealed under key(i to j) and carries session id {@link #sessionIdOf sessionIdOf(i)}; j's
 * inbox opens it only under that session's key, and refuses a frame that fails its tag, repeats or goes back in
 * sequence, or names a session it does not know. While a message is handled, {@link #authenticatedSender()} says which
 * member's key opened it: the sender the coherence protocol believes, whatever the message says about itself.
 */
public final class MemberLinks implements AutoCloseable
{
    /** No member: a message that came in plain frames, or under a session no longer linked. */
    static final int NO_MEMBER = -1;

    private static final long SEND_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    private final int self;
    private final AeronTransport transport;
    private final Inbox inbox;
    private final Map<Integer, Outbox> outboxes = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<byte[]> toSelf = new ConcurrentLinkedQueue<>();
    /** The peers whose sessions the inbox accepts, as a bit mask. Conductor only once polling began. */
    private long linked;
    private boolean deliveringToSelf;
    private volatile boolean polling;

    /**
     * Opens the inbox and connects to every peer at once.
     *
     * @param self         this member's id.
     * @param transport    the Aeron transport to open the links on.
     * @param inboxChannel where this member receives.
     * @param inboxStream  the stream it receives on.
     * @param peers        every other member: where it receives, and the keys of both directions.
     */
    public MemberLinks(
        final int self, final AeronTransport transport, final String inboxChannel, final int inboxStream,
        final Collection<PeerLink> peers)
    {
        this(self, transport, inboxChannel, inboxStream);
        connect(peers);
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

    /**
     * The session id member {@code member} writes in every frame it sends over the heap's links: member + 1, since 0
     * marks a plain frame. Each member's inbox is its own, so these ids cannot clash with the runtime's sessions.
     */
    public static int sessionIdOf(final int member)
    {
        return member + 1;
    }

    /**
     * Opens a protected outbox to every peer that has none yet, and accepts that peer's session in the inbox. Before
     * the member's conductor starts polling (the inbox's sessions belong to the polling thread).
     */
    public void connect(final Collection<PeerLink> peers)
    {
        if (polling)
        {
            throw new IllegalStateException("member " + self + ": links connect before the member polls them");
        }
        for (final PeerLink peer : peers)
        {
            final int member = peer.member();
            if (member != self && !outboxes.containsKey(member))
            {
                inbox.addSession(sessionIdOf(member), new FrameOpener(peer.receiveKey(), peer.encryptToSelf()));
                linked |= 1L << member;
                final Outbox outbox = transport.openOutbox(peer.channel(), peer.streamId());
                outbox.protect(new FrameSealer(peer.sendKey(), sessionIdOf(self), peer.encryptToPeer()));
                outboxes.put(member, outbox);
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

    /**
     * On the conductor: stops sending to a member that left (later sends to it fail at once), and refuses its frames
     * from now on, so that whoever holds its keys cannot speak for it.
     */
    void disconnect(final int member)
    {
        final Outbox outbox = outboxes.remove(member);
        if (null != outbox)
        {
            outbox.close();
        }
        if (member >= 0 && member < DsmMember.MAX_MEMBERS && (linked & (1L << member)) != 0)
        {
            linked &= ~(1L << member);
            inbox.removeSession(sessionIdOf(member));
        }
    }

    /** On the conductor: messages to itself first, then what arrived over Aeron. */
    int poll(final MessageHandler handler, final int fragmentLimit)
    {
        polling = true;
        int work = 0;
        byte[] message;
        while (null != (message = toSelf.poll()))
        {
            deliveringToSelf = true;
            try
            {
                handler.onMessage(new UnsafeBuffer(message), 0, message.length);
            }
            finally
            {
                deliveringToSelf = false;
            }
            work++;
        }
        return null == inbox ? work : work + inbox.poll(handler, fragmentLimit);
    }

    /**
     * On the conductor, while a message polled by {@link #poll} is handled: the member whose key opened it (this
     * member for its messages to itself), or {@link #NO_MEMBER} when it came in plain frames or under a session that is
     * not a linked peer's.
     */
    int authenticatedSender()
    {
        if (deliveringToSelf)
        {
            return self;
        }
        final int member = null == inbox ? NO_MEMBER : inbox.authenticatedSessionId() - 1;
        return member >= 0 && member < DsmMember.MAX_MEMBERS && (linked & (1L << member)) != 0 ? member : NO_MEMBER;
    }

    /** @return protected frames the inbox refused so far: forged, replayed, or of an unknown session. */
    public long refusedFrameCount()
    {
        return null == inbox ? 0 : inbox.refusedFrameCount();
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
