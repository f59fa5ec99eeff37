package dev.virgo.dsm.cluster;

import dev.virgo.dsm.member.DsmMember;
import dev.virgo.dsm.member.HeapKeys;
import dev.virgo.runtime.security.Handshake;
import dev.virgo.runtime.wire.MalformedMessageException;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shared heap's control messages, carried as the payload of the runtime's HEAP message. Little-endian; strings
 * are an int32 length and UTF-8 bytes.
 * <pre>
 *  offset 0: kind (byte)
 *  JOIN_REQUEST  origin to node  memberId int32 | pageSizeBytes int32 | missTimeoutMs int64 | maxCachedPages int32
 *  OFFER         node to origin  memberId int32 | streamId int32 | channel string      (where the node's member receives)
 *  MEMBERS       origin to node  count int32 | count x (memberId int32 | streamId int32 | channel string | name string |
 *                                encrypt byte | sendKey 32 bytes | receiveKey 32 bytes)
 *  JOINED        node to origin  memberId int32                  (connected to every member)
 *  JOIN_FAILED   node to origin  memberId int32 | reason string
 *  MEMBER_LEFT   origin to node  memberId int32
 * </pre>
 * The join: the origin sends JOIN_REQUEST to every node it makes a member; each opens its inbox and answers OFFER;
 * the origin sends everyone the whole table (MEMBERS); each connects to all and answers JOINED.
 * <p>MEMBERS is written for one recipient: beside each other member it carries the keys of the recipient's two links
 * with it, {@code sendKey} = key(recipient to member) and {@code receiveKey} = key(member to recipient) (see
 * {@link HeapKeys}); in the recipient's own entry both are zeros. {@code encrypt} (1 or 0) says whether frames to that
 * member are encrypted or only MAC'd: the origin decides it once for every link into a member, so that both ends
 * agree. No member learns the keys of links it is not on. The keys are only as secret as the channel MEMBERS travels
 * on: the origin-node session, encrypted across hosts, MAC'd but readable on IPC, and plain when the origin and node
 * run without a cluster secret (loopback only).
 */
final class HeapControl
{
    static final byte JOIN_REQUEST = 1;
    static final byte OFFER = 2;
    static final byte MEMBERS = 3;
    static final byte JOINED = 4;
    static final byte JOIN_FAILED = 5;
    static final byte MEMBER_LEFT = 6;

    /**
     * Where a member receives, what to call it in errors, and whether the links into it are encrypted.
     */
    record Member(int id, int streamId, String channel, String name, boolean encrypt)
    {
    }

    /** A member as one recipient of MEMBERS reads it: with the keys of the recipient's links to and from it. */
    record Listing(Member member, byte[] sendKey, byte[] receiveKey)
    {
    }

    private HeapControl()
    {
    }

    static int joinRequest(
        final MutableDirectBuffer buffer, final int memberId, final int pageSizeBytes, final long missTimeoutMs,
        final int maxCachedPages)
    {
        buffer.putByte(0, JOIN_REQUEST);
        buffer.putInt(1, memberId);
        buffer.putInt(5, pageSizeBytes);
        buffer.putLong(9, missTimeoutMs);
        buffer.putInt(17, maxCachedPages);
        return 21;
    }

    static int offer(final MutableDirectBuffer buffer, final int memberId, final int streamId, final String channel)
    {
        buffer.putByte(0, OFFER);
        buffer.putInt(1, memberId);
        buffer.putInt(5, streamId);
        return 9 + putString(buffer, 9, channel);
    }

    /** MEMBERS for {@code recipient}: the table, and the keys of the recipient's links only. */
    static int members(
        final MutableDirectBuffer buffer, final Map<Integer, Member> members, final int recipient, final HeapKeys keys)
    {
        final byte[] none = new byte[Handshake.KEY_BYTES];
        buffer.putByte(0, MEMBERS);
        buffer.putInt(1, members.size());
        int at = 5;
        for (final Member member : members.values())
        {
            buffer.putInt(at, member.id());
            buffer.putInt(at + 4, member.streamId());
            at += 8;
            at += putString(buffer, at, member.channel());
            at += putString(buffer, at, member.name());
            buffer.putByte(at++, (byte)(member.encrypt() ? 1 : 0));
            final boolean self = member.id() == recipient;
            buffer.putBytes(at, self ? none : keys.key(recipient, member.id()));
            buffer.putBytes(at + Handshake.KEY_BYTES, self ? none : keys.key(member.id(), recipient));
            at += 2 * Handshake.KEY_BYTES;
        }
        return at;
    }

    static int memberOnly(final MutableDirectBuffer buffer, final byte kind, final int memberId)
    {
        buffer.putByte(0, kind);
        buffer.putInt(1, memberId);
        return 5;
    }

    static int joinFailed(final MutableDirectBuffer buffer, final int memberId, final String reason)
    {
        buffer.putByte(0, JOIN_FAILED);
        buffer.putInt(1, memberId);
        return 5 + putString(buffer, 5, reason);
    }

    private static int putString(final MutableDirectBuffer buffer, final int at, final String value)
    {
        final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        buffer.putInt(at, bytes.length);
        buffer.putBytes(at + 4, bytes);
        return 4 + bytes.length;
    }

    /** Reads one control message, checking every length against the message before it reads. */
    static final class Reader
    {
        private DirectBuffer buffer;
        private int offset;
        private int length;
        private int position;

        Reader wrap(final DirectBuffer buffer, final int offset, final int length)
        {
            this.buffer = buffer;
            this.offset = offset;
            this.length = length;
            this.position = 0;
            need(1);
            final byte kind = kind();
            if (kind < JOIN_REQUEST || kind > MEMBER_LEFT)
            {
                throw new MalformedMessageException("heap control: unknown kind " + kind);
            }
            position = 1;
            return this;
        }

        byte kind()
        {
            return buffer.getByte(offset);
        }

        int readInt()
        {
            need(4);
            final int value = buffer.getInt(offset + position);
            position += 4;
            return value;
        }

        long readLong()
        {
            need(8);
            final long value = buffer.getLong(offset + position);
            position += 8;
            return value;
        }

        String readString()
        {
            final int bytes = readInt();
            if (bytes < 0)
            {
                throw new MalformedMessageException("heap control: string length " + bytes);
            }
            need(bytes);
            final byte[] value = new byte[bytes];
            buffer.getBytes(offset + position, value);
            position += bytes;
            return new String(value, StandardCharsets.UTF_8);
        }

        Map<Integer, Listing> readMembers()
        {
            final int count = readInt();
            if (count < 1 || count > DsmMember.MAX_MEMBERS)
            {
                throw new MalformedMessageException("heap control: member count " + count);
            }
            final Map<Integer, Listing> members = new LinkedHashMap<>();
            for (int i = 0; i < count; i++)
            {
                final int id = readInt();
                final int streamId = readInt();
                final String channel = readString();
                final String name = readString();
                final byte encrypt = readByte();
                if (id < 0 || id >= DsmMember.MAX_MEMBERS || members.containsKey(id))
                {
                    throw new MalformedMessageException("heap control: member id " + id + " out of range or repeated");
                }
                if (encrypt != 0 && encrypt != 1)
                {
                    throw new MalformedMessageException("heap control: member " + id + " encrypt flag " + encrypt);
                }
                final Member member = new Member(id, streamId, channel, name, encrypt == 1);
                members.put(id, new Listing(member, readBytes(Handshake.KEY_BYTES), readBytes(Handshake.KEY_BYTES)));
            }
            return members;
        }

        byte readByte()
        {
            need(1);
            return buffer.getByte(offset + position++);
        }

        byte[] readBytes(final int count)
        {
            need(count);
            final byte[] value = new byte[count];
            buffer.getBytes(offset + position, value);
            position += count;
            return value;
        }

        private void need(final int bytes)
        {
            // Not position + bytes > length: a string length near Integer.MAX_VALUE would wrap and pass.
            if (bytes > length - position)
            {
                throw new MalformedMessageException("heap control: " + length + " bytes, but " + ((long)position + bytes) +
                    " needed (kind " + buffer.getByte(offset) + ")");
            }
        }
    }
}
