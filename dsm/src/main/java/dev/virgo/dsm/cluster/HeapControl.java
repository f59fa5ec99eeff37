package dev.virgo.dsm.cluster;

import dev.virgo.dsm.member.DsmMember;
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
 *  MEMBERS       origin to node  count int32 | count x (memberId int32 | streamId int32 | channel string | name string)
 *  JOINED        node to origin  memberId int32                  (connected to every member)
 *  JOIN_FAILED   node to origin  memberId int32 | reason string
 *  MEMBER_LEFT   origin to node  memberId int32
 * </pre>
 * The join: the origin sends JOIN_REQUEST to every node it makes a member; each opens its inbox and answers OFFER;
 * the origin sends everyone the whole table (MEMBERS); each connects to all and answers JOINED.
 */
final class HeapControl
{
    static final byte JOIN_REQUEST = 1;
    static final byte OFFER = 2;
    static final byte MEMBERS = 3;
    static final byte JOINED = 4;
    static final byte JOIN_FAILED = 5;
    static final byte MEMBER_LEFT = 6;

    /** Where a member receives, and what to call it in errors. */
    record Member(int id, int streamId, String channel, String name)
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

    static int members(final MutableDirectBuffer buffer, final Map<Integer, Member> members)
    {
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

        Map<Integer, Member> readMembers()
        {
            final int count = readInt();
            if (count < 1 || count > DsmMember.MAX_MEMBERS)
            {
                throw new MalformedMessageException("heap control: member count " + count);
            }
            final Map<Integer, Member> members = new LinkedHashMap<>();
            for (int i = 0; i < count; i++)
            {
                final Member member = new Member(readInt(), readInt(), readString(), readString());
                if (member.id() < 0 || member.id() >= DsmMember.MAX_MEMBERS)
                {
                    throw new MalformedMessageException("heap control: member id " + member.id());
                }
                members.put(member.id(), member);
            }
            return members;
        }

        private void need(final int bytes)
        {
            if (position + bytes > length)
            {
                throw new MalformedMessageException("heap control: " + length + " bytes, but " + (position + bytes) +
                    " needed (kind " + buffer.getByte(offset) + ")");
            }
        }
    }
}
