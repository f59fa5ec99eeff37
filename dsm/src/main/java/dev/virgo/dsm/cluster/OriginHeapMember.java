package dev.virgo.dsm.cluster;

import dev.virgo.api.heap.SharedMemory;
import dev.virgo.api.heap.SharedMemoryException;
import dev.virgo.dsm.member.DsmMember;
import dev.virgo.dsm.member.HeapKeys;
import dev.virgo.dsm.member.MemberLinks;
import dev.virgo.dsm.member.PeerLink;
import dev.virgo.runtime.heap.HeapContext;
import dev.virgo.runtime.heap.HeapFactory;
import dev.virgo.runtime.heap.OriginHeap;
import dev.virgo.runtime.log.LogThrottle;
import dev.virgo.runtime.log.VirgoLog;
import dev.virgo.runtime.security.Handshake;
import dev.virgo.runtime.wire.MalformedMessageException;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The origin's member of its heap (member 0), which runs the join (see {@link HeapControl}) and tells the members
 * when one of them is lost. Node index i is member i + 1, so a node's member id is known without asking it.
 *
 * <p>The origin also keys the heap's links: once every node has offered, it makes fresh keys for every ordered pair of
 * members ({@link HeapKeys}), protects its own links with its share, and sends each node its share in that node's
 * MEMBERS; then it forgets the keys of links it is not on. Whether a link is encrypted follows the runtime's rule
 * ({@link Handshake#encrypts}) for the channel of the member it leads to, decided here for both ends.
 */
final class OriginHeapMember implements OriginHeap
{
    /** Control messages come from the network (a node's from any origin without a secret): bounded lines. */
    private static final LogThrottle MALFORMED = LogThrottle.warnings("malformed heap control messages");

    static final int ORIGIN_MEMBER = 0;

    private final HeapContext context;
    private final HeapFactory.ControlSender toNodes;
    private final Map<Integer, CompletableFuture<HeapControl.Member>> offers = new ConcurrentHashMap<>();
    private final Map<Integer, CompletableFuture<Void>> joins = new ConcurrentHashMap<>();
    private final HeapControl.Reader reader = new HeapControl.Reader();
    private final ExpandableArrayBuffer conductorBuffer = new ExpandableArrayBuffer(64);
    private volatile int[] memberNodes = new int[0];
    private MemberLinks links;
    private volatile DsmMember member;
    private volatile boolean joined;

    OriginHeapMember(final HeapContext context, final HeapFactory.ControlSender toNodes)
    {
        this.context = context;
        this.toNodes = toNodes;
    }

    @Override
    public void join(final int[] nodeIndexes, final String[] nodeNames, final long timeoutMs)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        links = null == context.transport() || nodeIndexes.length == 0 ?
            MemberLinks.alone(ORIGIN_MEMBER) :
            new MemberLinks(ORIGIN_MEMBER, context.transport(), context.inboxChannel(), context.inboxStreamId());
        final Map<Integer, HeapControl.Member> table = new LinkedHashMap<>();
        if (nodeIndexes.length > 0)
        {
            table.put(ORIGIN_MEMBER, new HeapControl.Member(ORIGIN_MEMBER, links.inboxStream(), links.inboxChannel(),
                "origin", Handshake.encrypts(links.inboxChannel())));
        }
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        for (final int node : nodeIndexes)
        {
            offers.put(node, new CompletableFuture<>());
            joins.put(node, new CompletableFuture<>());
            toNodes.send(node, buffer, 0, HeapControl.joinRequest(buffer, node + 1, context.pageSizeBytes(),
                context.missTimeoutMs(), context.maxCachedPages()));
        }
        for (int i = 0; i < nodeIndexes.length; i++)
        {
            final HeapControl.Member offered = await(offers.get(nodeIndexes[i]), deadlineNs, timeoutMs,
                nodeNames[i] + " did not offer to join");
            table.put(offered.id(), new HeapControl.Member(offered.id(), offered.streamId(), offered.channel(),
                nodeNames[i], Handshake.encrypts(offered.channel())));
        }

        final HeapKeys keys = HeapKeys.generate(table.keySet());
        try
        {
            if (!table.isEmpty())
            {
                links.connect(peersOf(ORIGIN_MEMBER, table, keys));
            }
            final DsmMember created = new DsmMember(
                links, context.pageSizeBytes(), context.missTimeoutMs(), context.idle(), context.maxCachedPages());
            member = created; // closed by close() if the join fails from here on
            for (final HeapControl.Member each : table.values())
            {
                created.nameMember(each.id(), each.name());
            }
            for (final int node : nodeIndexes)
            {
                toNodes.send(node, buffer, 0, HeapControl.members(buffer, table, node + 1, keys));
            }
        }
        finally
        {
            keys.erase();
            buffer.setMemory(0, buffer.capacity(), (byte)0); // the last MEMBERS written held a node's keys
        }
        final DsmMember created = member;
        for (int i = 0; i < nodeIndexes.length; i++)
        {
            await(joins.get(nodeIndexes[i]), deadlineNs, timeoutMs, nodeNames[i] + " did not join");
        }
        for (final int id : table.keySet())
        {
            while (!created.isConnectedTo(id))
            {
                if (System.nanoTime() > deadlineNs)
                {
                    throw new SharedMemoryException("shared heap: the origin could not reach member " + id + " (" +
                        table.get(id).name() + ") within " + timeoutMs + " ms");
                }
                Thread.onSpinWait();
            }
        }
        memberNodes = nodeIndexes.clone();
        joined = true;
    }

    /** @return the links of member {@code self} to every other member of {@code table}, with their keys. */
    static List<PeerLink> peersOf(final int self, final Map<Integer, HeapControl.Member> table, final HeapKeys keys)
    {
        final boolean encryptToSelf = table.get(self).encrypt();
        final List<PeerLink> peers = new ArrayList<>();
        for (final HeapControl.Member each : table.values())
        {
            if (each.id() != self)
            {
                peers.add(new PeerLink(each.id(), each.channel(), each.streamId(), keys.key(self, each.id()),
                    keys.key(each.id(), self), each.encrypt(), encryptToSelf));
            }
        }
        return peers;
    }

    private static <T> T await(
        final CompletableFuture<T> future, final long deadlineNs, final long timeoutMs, final String what)
    {
        try
        {
            return future.get(Math.max(0, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        catch (final TimeoutException ex)
        {
            throw new SharedMemoryException("shared heap: " + what + " within " + timeoutMs + " ms (" +
                "heapTimeoutMs)");
        }
        catch (final ExecutionException ex)
        {
            throw new SharedMemoryException("shared heap: " + what + ": " + ex.getCause().getMessage());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new SharedMemoryException("shared heap: interrupted while the nodes joined");
        }
    }

    @Override
    public SharedMemory memory()
    {
        if (!joined)
        {
            throw new SharedMemoryException("the shared heap has not been opened");
        }
        return member;
    }

    @Override
    public void onControl(final int nodeIndex, final DirectBuffer buffer, final int offset, final int length)
    {
        try
        {
            reader.wrap(buffer, offset, length);
            switch (reader.kind())
            {
                case HeapControl.OFFER:
                {
                    final int id = reader.readInt();
                    final int stream = reader.readInt();
                    final String channel = reader.readString();
                    complete(offers, nodeIndex, new HeapControl.Member(id, stream, channel, "", false), id);
                    break;
                }
                case HeapControl.JOINED:
                    complete(joins, nodeIndex, null, reader.readInt());
                    break;
                case HeapControl.JOIN_FAILED:
                {
                    final int id = reader.readInt();
                    final String reason = reader.readString();
                    failJoin(nodeIndex, new SharedMemoryException("member " + id + " could not join: " + reason));
                    break;
                }
                default:
                    throw new MalformedMessageException("heap control kind " + reader.kind() + " from a node");
            }
        }
        catch (final MalformedMessageException ex)
        {
            MALFORMED.log("shared heap: dropped a malformed control message from node index " + nodeIndex + ": " +
                ex.getMessage());
        }
    }

    private static <T> void complete(
        final Map<Integer, CompletableFuture<T>> futures, final int nodeIndex, final T value, final int memberId)
    {
        final CompletableFuture<T> future = futures.get(nodeIndex);
        if (null == future)
        {
            return;
        }
        if (memberId != nodeIndex + 1)
        {
            future.completeExceptionally(new SharedMemoryException(
                "node index " + nodeIndex + " answered as member " + memberId + ", expected " + (nodeIndex + 1)));
            return;
        }
        future.complete(value);
    }

    private void failJoin(final int nodeIndex, final SharedMemoryException reason)
    {
        final CompletableFuture<HeapControl.Member> offer = offers.get(nodeIndex);
        if (null != offer)
        {
            offer.completeExceptionally(reason);
        }
        final CompletableFuture<Void> join = joins.get(nodeIndex);
        if (null != join)
        {
            join.completeExceptionally(reason);
        }
    }

    @Override
    public void nodeLost(final int nodeIndex)
    {
        failJoin(nodeIndex, new SharedMemoryException("node index " + nodeIndex + " was lost"));
        final DsmMember current = member;
        if (!joined)
        {
            return;
        }
        final List<Integer> others = new ArrayList<>();
        boolean wasMember = false;
        for (final int node : memberNodes)
        {
            if (node == nodeIndex)
            {
                wasMember = true;
            }
            else
            {
                others.add(node);
            }
        }
        if (!wasMember)
        {
            return;
        }
        current.memberLeft(nodeIndex + 1);
        final int length = HeapControl.memberOnly(conductorBuffer, HeapControl.MEMBER_LEFT, nodeIndex + 1);
        for (final int node : others)
        {
            toNodes.send(node, conductorBuffer, 0, length);
        }
    }

    @Override
    public void close()
    {
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
