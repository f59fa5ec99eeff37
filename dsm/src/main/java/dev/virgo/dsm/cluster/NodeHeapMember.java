package dev.virgo.dsm.cluster;

import dev.virgo.api.heap.SharedMemory;
import dev.virgo.api.heap.SharedMemoryException;
import dev.virgo.dsm.member.DsmMember;
import dev.virgo.dsm.member.MemberLinks;
import dev.virgo.dsm.member.PeerLink;
import dev.virgo.runtime.heap.HeapContext;
import dev.virgo.runtime.heap.HeapFactory;
import dev.virgo.runtime.heap.NodeHeap;
import dev.virgo.runtime.log.LogThrottle;
import dev.virgo.runtime.log.VirgoLog;
import dev.virgo.runtime.wire.MalformedMessageException;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A node's member of one origin's heap. Made on the origin's JOIN_REQUEST (on the node's conductor): it opens its
 * inbox and offers it; on MEMBERS it connects to every member and, once all are reachable, says JOINED (from a short
 * lived thread, so the node's conductor never waits for Aeron connections). MEMBERS brings the keys of this member's
 * links (see {@link HeapControl}); a table without a key for every other member is refused with JOIN_FAILED.
 */
final class NodeHeapMember implements NodeHeap
{
    /** Control messages come from the network (a node's from any origin without a secret): bounded lines. */
    private static final LogThrottle MALFORMED = LogThrottle.warnings("malformed heap control messages");

    private final HeapContext context;
    private final HeapFactory.ControlSender toOrigin;
    private final HeapControl.Reader reader = new HeapControl.Reader();
    private final ExpandableArrayBuffer conductorBuffer = new ExpandableArrayBuffer(256);
    private int memberId = -1;
    private int pageSizeBytes;
    private long missTimeoutMs;
    private int maxCachedPages;
    private MemberLinks links;
    private volatile DsmMember member;
    private volatile boolean closed;

    NodeHeapMember(final HeapContext context, final HeapFactory.ControlSender toOrigin)
    {
        this.context = context;
        this.toOrigin = toOrigin;
    }

    @Override
    public void onControl(final DirectBuffer buffer, final int offset, final int length)
    {
        try
        {
            reader.wrap(buffer, offset, length);
            switch (reader.kind())
            {
                case HeapControl.JOIN_REQUEST: onJoinRequest(); break;
                case HeapControl.MEMBERS: onMembers(reader.readMembers()); break;
                case HeapControl.MEMBER_LEFT:
                {
                    final int left = reader.readInt();
                    final DsmMember current = member;
                    if (null != current)
                    {
                        current.memberLeft(left);
                    }
                    break;
                }
                default:
                    throw new MalformedMessageException("heap control kind " + reader.kind() + " from an origin");
            }
        }
        catch (final MalformedMessageException ex)
        {
            MALFORMED.log("shared heap: dropped a malformed control message: " + ex.getMessage());
        }
    }

    private void onJoinRequest()
    {
        final int id = reader.readInt();
        final int pageBytes = reader.readInt();
        final long timeoutMs = reader.readLong();
        final int maxCached = reader.readInt();
        if (id <= 0 || id >= DsmMember.MAX_MEMBERS || Integer.bitCount(pageBytes) != 1 || pageBytes < 64 ||
            timeoutMs <= 0 || maxCached <= 0)
        {
            final String reason = "bad join request: member " + id + ", page " + pageBytes + " bytes, timeout " +
                timeoutMs + " ms, cache " + maxCached + " pages";
            VirgoLog.warn("shared heap: refused a join request: " + reason);
            sendToOrigin(HeapControl.joinFailed(conductorBuffer, id, reason));
            return;
        }
        if (null != links && id != memberId)
        {
            sendToOrigin(HeapControl.joinFailed(conductorBuffer, id, "already member " + memberId));
            return;
        }
        if (null == links)
        {
            memberId = id;
            pageSizeBytes = pageBytes;
            missTimeoutMs = timeoutMs;
            maxCachedPages = maxCached;
            links = new MemberLinks(id, context.transport(), context.inboxChannel(), context.inboxStreamId());
        }
        sendToOrigin(HeapControl.offer(conductorBuffer, memberId, links.inboxStream(), links.inboxChannel()));
    }

    private void onMembers(final Map<Integer, HeapControl.Listing> listings)
    {
        if (null == links || null != member || !listings.containsKey(memberId))
        {
            return; // not asked to join, already joined, or not in this table: nothing to do
        }
        final Map<Integer, HeapControl.Member> table = new LinkedHashMap<>();
        final List<PeerLink> peers = new ArrayList<>();
        final boolean encryptToSelf = listings.get(memberId).member().encrypt();
        try
        {
            for (final HeapControl.Listing listing : listings.values())
            {
                final HeapControl.Member each = listing.member();
                table.put(each.id(), each);
                if (each.id() != memberId)
                {
                    peers.add(new PeerLink(each.id(), each.channel(), each.streamId(), listing.sendKey(),
                        listing.receiveKey(), each.encrypt(), encryptToSelf));
                }
            }
        }
        catch (final IllegalArgumentException ex)
        {
            VirgoLog.warn("shared heap: refused a members table: " + ex.getMessage());
            sendToOrigin(HeapControl.joinFailed(conductorBuffer, memberId, "bad members table: " + ex.getMessage()));
            return;
        }
        links.connect(peers);
        final DsmMember created = new DsmMember(links, pageSizeBytes, missTimeoutMs, context.idle(), maxCachedPages);
        for (final HeapControl.Member each : table.values())
        {
            created.nameMember(each.id(), each.name());
        }
        member = created;
        final Thread joiner = new Thread(() -> awaitConnections(created, table), "virgo-heap-join");
        joiner.setDaemon(true);
        joiner.start();
    }

    private void awaitConnections(final DsmMember created, final Map<Integer, HeapControl.Member> table)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(missTimeoutMs);
        for (final HeapControl.Member each : table.values())
        {
            while (!created.isConnectedTo(each.id()))
            {
                if (closed)
                {
                    return;
                }
                if (System.nanoTime() > deadlineNs)
                {
                    toOrigin.send(0, buffer, 0, HeapControl.joinFailed(buffer, memberId, "member " + memberId +
                        " could not reach member " + each.id() + " (" + each.name() + ") at " + each.channel() +
                        " within " + missTimeoutMs + " ms"));
                    return;
                }
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
            }
        }
        toOrigin.send(0, buffer, 0, HeapControl.memberOnly(buffer, HeapControl.JOINED, memberId));
    }

    private void sendToOrigin(final int length)
    {
        toOrigin.send(0, conductorBuffer, 0, length);
    }

    @Override
    public SharedMemory memory()
    {
        final DsmMember current = member;
        if (null == current)
        {
            throw new SharedMemoryException("this node has not joined the shared heap of the thread's origin");
        }
        return current;
    }

    @Override
    public void close()
    {
        closed = true;
        final DsmMember current = member;
        if (null != current)
        {
            current.close();
        }
        if (null != links)
        {
            links.close();
        }
    }
}
