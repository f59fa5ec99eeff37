package dev.virgo.dsm.protocol;

import dev.virgo.runtime.wire.MalformedMessageException;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The coherence protocol's messages, encoded and read in place (a flyweight). Little-endian.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+-------------------------------+
 *  |          type (uint16)        |        version (uint16)       |  0
 *  +-------------------------------+-------------------------------+
 *  |                     from: sender member (int32)               |  4
 *  +---------------------------------------------------------------+
 *  |                 page: global page number (int64)              |  8
 *  +---------------------------------------------------------------+
 *  | correlation (int64): FREE/FREE_ACK/refused FREE's address;     | 16
 *  | INVALIDATE, FETCH and their replies: the home's transaction id |
 *  +---------------------------------------------------------------+
 *  DATA        | flags: int32 (1 = exclusive) | allocStart: int64 | allocLength: int64 | length: int32 | bytes |
 *  FETCH       | flags: int32 (1 = invalidate) |
 *  FETCH_REPLY | length: int32 | bytes |
 *  NACK        | length: int32 | UTF-8 reason |
 *  READ, WRITE, INVALIDATE, INVALIDATE_ACK, FREE, FREE_ACK: header only
 * </pre>
 * READ and WRITE go from a member to a page's home; DATA grants a copy (shared, or exclusive: the only one);
 * INVALIDATE and FETCH go from the home to a holder, which answers INVALIDATE_ACK or FETCH_REPLY; NACK refuses a
 * request (the page is not allocated); FREE and FREE_ACK return an allocation to its home. A reply echoes the
 * transaction id of what it answers, so the home ignores a late reply to a transaction that is over.
 */
public final class CoherenceMessage
{
    public static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    public static final int VERSION = 1;

    public static final int READ = 1;
    public static final int WRITE = 2;
    public static final int DATA = 3;
    public static final int INVALIDATE = 4;
    public static final int INVALIDATE_ACK = 5;
    public static final int FETCH = 6;
    public static final int FETCH_REPLY = 7;
    public static final int NACK = 8;
    public static final int FREE = 9;
    public static final int FREE_ACK = 10;

    public static final int TYPE_OFFSET = 0;
    public static final int VERSION_OFFSET = 2;
    public static final int FROM_OFFSET = 4;
    public static final int PAGE_OFFSET = 8;
    public static final int CORRELATION_OFFSET = 16;
    public static final int HEADER_LENGTH = 24;
    /** A NACK's reason is cut to this many bytes when sent, and a longer one is malformed when received. */
    public static final int MAX_REASON_BYTES = 1024;

    private static final int DATA_FLAGS_OFFSET = HEADER_LENGTH;
    private static final int DATA_ALLOC_START_OFFSET = HEADER_LENGTH + 4;
    private static final int DATA_ALLOC_LENGTH_OFFSET = HEADER_LENGTH + 12;
    private static final int DATA_LENGTH_OFFSET = HEADER_LENGTH + 20;
    private static final int DATA_BYTES_OFFSET = HEADER_LENGTH + 24;
    private static final int FETCH_FLAGS_OFFSET = HEADER_LENGTH;
    private static final int VAR_LENGTH_OFFSET = HEADER_LENGTH;
    private static final int VAR_BYTES_OFFSET = HEADER_LENGTH + 4;

    private DirectBuffer buffer;
    private int offset;
    private int length;

    /** Wraps a received message and checks its header and its type's layout against {@code length}. */
    public CoherenceMessage wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        if (length < HEADER_LENGTH)
        {
            throw new MalformedMessageException("coherence message of " + length + " bytes is shorter than its " +
                HEADER_LENGTH + "-byte header");
        }
        if (version() != VERSION)
        {
            throw new MalformedMessageException("coherence message version " + version() + ", expected " + VERSION);
        }
        switch (type())
        {
            case READ: case WRITE: case INVALIDATE: case INVALIDATE_ACK: case FREE: case FREE_ACK:
                requireLength(HEADER_LENGTH);
                break;
            case FETCH:
                requireLength(HEADER_LENGTH + 4);
                break;
            case DATA:
                requireAtLeast(DATA_BYTES_OFFSET);
                requireLength(DATA_BYTES_OFFSET + checkedVarLength(DATA_LENGTH_OFFSET, DATA_BYTES_OFFSET));
                break;
            case FETCH_REPLY:
                requireAtLeast(VAR_BYTES_OFFSET);
                requireLength(VAR_BYTES_OFFSET + checkedVarLength(VAR_LENGTH_OFFSET, VAR_BYTES_OFFSET));
                break;
            case NACK:
                requireAtLeast(VAR_BYTES_OFFSET);
                final int reasonLength = checkedVarLength(VAR_LENGTH_OFFSET, VAR_BYTES_OFFSET);
                if (reasonLength > MAX_REASON_BYTES)
                {
                    throw new MalformedMessageException("coherence message type NACK: reason of " + reasonLength +
                        " bytes, at most " + MAX_REASON_BYTES);
                }
                requireLength(VAR_BYTES_OFFSET + reasonLength);
                break;
            default:
                throw new MalformedMessageException("coherence message of unknown type " + type());
        }
        return this;
    }

    private int checkedVarLength(final int lengthOffset, final int bytesOffset)
    {
        final int varLength = buffer.getInt(offset + lengthOffset, ORDER);
        if (varLength < 0 || varLength > length - bytesOffset)
        {
            throw new MalformedMessageException("coherence message type " + type() + ": length " + varLength +
                " does not fit in " + (length - bytesOffset) + " bytes");
        }
        return varLength;
    }

    private void requireAtLeast(final int expected)
    {
        if (length < expected)
        {
            throw new MalformedMessageException("coherence message type " + type() + ": " + length +
                " bytes, at least " + expected + " expected");
        }
    }

    private void requireLength(final int expected)
    {
        if (length != expected)
        {
            throw new MalformedMessageException("coherence message type " + type() + ": " + length + " bytes, " +
                expected + " expected");
        }
    }

    public int type()
    {
        return buffer.getShort(offset + TYPE_OFFSET, ORDER) & 0xFFFF;
    }

    public int version()
    {
        return buffer.getShort(offset + VERSION_OFFSET, ORDER) & 0xFFFF;
    }

    public int from()
    {
        return buffer.getInt(offset + FROM_OFFSET, ORDER);
    }

    public long page()
    {
        return buffer.getLong(offset + PAGE_OFFSET, ORDER);
    }

    public long correlation()
    {
        return buffer.getLong(offset + CORRELATION_OFFSET, ORDER);
    }

    public boolean exclusive()
    {
        return (buffer.getInt(offset + DATA_FLAGS_OFFSET, ORDER) & 1) != 0;
    }

    public long allocStart()
    {
        return buffer.getLong(offset + DATA_ALLOC_START_OFFSET, ORDER);
    }

    public long allocLength()
    {
        return buffer.getLong(offset + DATA_ALLOC_LENGTH_OFFSET, ORDER);
    }

    public boolean invalidate()
    {
        return (buffer.getInt(offset + FETCH_FLAGS_OFFSET, ORDER) & 1) != 0;
    }

    /** @return how many page bytes DATA or FETCH_REPLY carries (checked against the message by {@link #wrap}). */
    public int pageBytesLength()
    {
        return buffer.getInt(offset + (type() == DATA ? DATA_LENGTH_OFFSET : VAR_LENGTH_OFFSET), ORDER);
    }

    /** The page bytes of DATA or FETCH_REPLY, copied into {@code dst}. */
    public void getPageBytes(final byte[] dst)
    {
        final boolean data = type() == DATA;
        final int bytesLength = buffer.getInt(offset + (data ? DATA_LENGTH_OFFSET : VAR_LENGTH_OFFSET), ORDER);
        if (bytesLength != dst.length)
        {
            throw new MalformedMessageException("coherence message type " + type() + " carries " + bytesLength +
                " bytes for a page of " + dst.length);
        }
        buffer.getBytes(offset + (data ? DATA_BYTES_OFFSET : VAR_BYTES_OFFSET), dst);
    }

    public String reason()
    {
        final int reasonLength = buffer.getInt(offset + VAR_LENGTH_OFFSET, ORDER);
        final byte[] text = new byte[reasonLength];
        buffer.getBytes(offset + VAR_BYTES_OFFSET, text);
        return new String(text, StandardCharsets.UTF_8);
    }

    // Encoding: each returns the encoded length.

    public static int header(
        final MutableDirectBuffer dst, final int type, final int from, final long page, final long correlation)
    {
        dst.putShort(TYPE_OFFSET, (short)type, ORDER);
        dst.putShort(VERSION_OFFSET, (short)VERSION, ORDER);
        dst.putInt(FROM_OFFSET, from, ORDER);
        dst.putLong(PAGE_OFFSET, page, ORDER);
        dst.putLong(CORRELATION_OFFSET, correlation, ORDER);
        return HEADER_LENGTH;
    }

    public static int data(
        final MutableDirectBuffer dst, final int from, final long page, final boolean exclusive,
        final long allocStart, final long allocLength, final byte[] bytes)
    {
        header(dst, DATA, from, page, 0);
        dst.putInt(DATA_FLAGS_OFFSET, exclusive ? 1 : 0, ORDER);
        dst.putLong(DATA_ALLOC_START_OFFSET, allocStart, ORDER);
        dst.putLong(DATA_ALLOC_LENGTH_OFFSET, allocLength, ORDER);
        dst.putInt(DATA_LENGTH_OFFSET, bytes.length, ORDER);
        dst.putBytes(DATA_BYTES_OFFSET, bytes);
        return DATA_BYTES_OFFSET + bytes.length;
    }

    public static int fetch(
        final MutableDirectBuffer dst, final int from, final long page, final long transaction, final boolean invalidate)
    {
        header(dst, FETCH, from, page, transaction);
        dst.putInt(FETCH_FLAGS_OFFSET, invalidate ? 1 : 0, ORDER);
        return HEADER_LENGTH + 4;
    }

    public static int fetchReply(
        final MutableDirectBuffer dst, final int from, final long page, final long transaction, final byte[] bytes)
    {
        header(dst, FETCH_REPLY, from, page, transaction);
        dst.putInt(VAR_LENGTH_OFFSET, bytes.length, ORDER);
        dst.putBytes(VAR_BYTES_OFFSET, bytes);
        return VAR_BYTES_OFFSET + bytes.length;
    }

    /** @param correlation the address of a refused FREE, else 0 (then {@code page} names the refused page). */
    public static int nack(
        final MutableDirectBuffer dst, final int from, final long page, final long correlation, final String reason)
    {
        header(dst, NACK, from, page, correlation);
        final byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        // May cut a multi-byte character in two: the receiver decodes it as a replacement character.
        final int textLength = Math.min(text.length, MAX_REASON_BYTES);
        dst.putInt(VAR_LENGTH_OFFSET, textLength, ORDER);
        dst.putBytes(VAR_BYTES_OFFSET, text, 0, textLength);
        return VAR_BYTES_OFFSET + textLength;
    }
}
