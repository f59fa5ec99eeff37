package dev.virgo.runtime.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static dev.virgo.runtime.wire.MessageHeader.*;

/**
 * Base of the message encoders: writes the header on {@link #wrap}, keeps the write limit, and appends the variable
 * fields in their declared order. Fixed fields may be set in any order; an unset fixed field is 0 and an unset
 * variable field is empty. A variable field must not be set after a later one (its bytes would have to move), and
 * {@link #encodedLength()} closes the message, so call it last. Reusable; not thread-safe.
 * <p>
 * The target buffer must be large enough: an {@code ExpandableArrayBuffer} grows, an {@code UnsafeBuffer} throws
 * {@link IndexOutOfBoundsException} on overflow, as the encoder's caller made the mistake.
 *
 * @param <E> the concrete encoder, returned by the fluent setters.
 */
public abstract class MessageEncoder<E extends MessageEncoder<E>>
{
    private final MessageType type;
    protected MutableDirectBuffer buffer;
    protected int offset;
    private int limit;
    private int nextVarField;

    protected MessageEncoder(final MessageType type)
    {
        this.type = type;
    }

    protected abstract E self();

    /**
     * Starts a message at {@code offset}: writes the header (type, version, flags 0, ids 0) and zeroes the fixed
     * fields.
     *
     * @param buffer to encode into.
     * @param offset at which the message starts.
     * @return this.
     */
    public E wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        buffer.putShort(offset + TYPE_OFFSET, (short)type.code(), BYTE_ORDER);
        buffer.putShort(offset + VERSION_OFFSET, (short)CURRENT_VERSION, BYTE_ORDER);
        buffer.putInt(offset + FLAGS_OFFSET, 0, BYTE_ORDER);
        buffer.putLong(offset + ORIGIN_ID_OFFSET, 0, BYTE_ORDER);
        buffer.putLong(offset + THREAD_ID_OFFSET, 0, BYTE_ORDER);
        if (type.fixedLength() > 0)
        {
            buffer.setMemory(offset + LENGTH, type.fixedLength(), (byte)0);
        }
        limit = offset + LENGTH + type.fixedLength();
        nextVarField = 0;
        return self();
    }

    /** @return the type this encoder writes. */
    public MessageType type()
    {
        return type;
    }

    /** @param flags reserved, 0 for now. @return this. */
    public E flags(final int flags)
    {
        buffer.putInt(offset + FLAGS_OFFSET, flags, BYTE_ORDER);
        return self();
    }

    /** @param originId the origin the message belongs to. @return this. */
    public E originId(final long originId)
    {
        buffer.putLong(offset + ORIGIN_ID_OFFSET, originId, BYTE_ORDER);
        return self();
    }

    /** @param threadId the moved thread the message is about, 0 if none. @return this. */
    public E threadId(final long threadId)
    {
        buffer.putLong(offset + THREAD_ID_OFFSET, threadId, BYTE_ORDER);
        return self();
    }

    /**
     * Writes empty values for the variable fields not set and returns the length of the whole message, header
     * included. No variable field can be set afterwards until the next {@link #wrap}.
     *
     * @return bytes from the wrap offset to the end of the message.
     */
    public int encodedLength()
    {
        while (nextVarField < type.varFieldCount())
        {
            buffer.putInt(limit, 0, BYTE_ORDER);
            limit += VAR_LENGTH_PREFIX;
            nextVarField++;
        }
        return limit - offset;
    }

    /** @return the buffer being encoded into. */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /** @return the offset at which the message starts. */
    public int offset()
    {
        return offset;
    }

    protected final int fieldOffset(final int fixedFieldOffset)
    {
        return offset + LENGTH + fixedFieldOffset;
    }

    protected final void putString(final int varField, final String value)
    {
        beginVarField(varField);
        // Agrona converts to UTF-8 and writes the int32 length prefix: the one allocation on the encode path.
        limit += buffer.putStringUtf8(limit, null == value ? "" : value, BYTE_ORDER);
    }

    protected final void putBytes(final int varField, final DirectBuffer src, final int srcOffset, final int length)
    {
        checkLength(varField, length);
        beginVarField(varField);
        buffer.putInt(limit, length, BYTE_ORDER);
        buffer.putBytes(limit + VAR_LENGTH_PREFIX, src, srcOffset, length);
        limit += VAR_LENGTH_PREFIX + length;
    }

    protected final void putBytes(final int varField, final byte[] src, final int srcOffset, final int length)
    {
        checkLength(varField, length);
        beginVarField(varField);
        buffer.putInt(limit, length, BYTE_ORDER);
        buffer.putBytes(limit + VAR_LENGTH_PREFIX, src, srcOffset, length);
        limit += VAR_LENGTH_PREFIX + length;
    }

    /**
     * Reserves {@code length} bytes for a bytes field and returns where they start, so that a serializer can write
     * the payload in place instead of copying it in.
     */
    protected final int reserveBytes(final int varField, final int length)
    {
        checkLength(varField, length);
        beginVarField(varField);
        buffer.putInt(limit, length, BYTE_ORDER);
        final int payloadOffset = limit + VAR_LENGTH_PREFIX;
        // Touch the last byte now so that an expandable buffer grows before the caller writes into the space.
        if (length > 0)
        {
            buffer.putByte(payloadOffset + length - 1, (byte)0);
        }
        limit = payloadOffset + length;
        return payloadOffset;
    }

    private void checkLength(final int varField, final int length)
    {
        if (length < 0)
        {
            throw new IllegalArgumentException(type + ": " + type.varFieldName(varField) + " length " + length);
        }
    }

    private void beginVarField(final int varField)
    {
        if (null == buffer)
        {
            throw new IllegalStateException(type + ": wrap a buffer before setting fields");
        }
        if (varField < nextVarField)
        {
            throw new IllegalStateException(type + ": " + type.varFieldName(varField) + " set after " +
                type.varFieldName(nextVarField - 1) + " or encodedLength(); variable fields go in order " +
                type.varFieldNames());
        }
        while (nextVarField < varField)
        {
            buffer.putInt(limit, 0, BYTE_ORDER);
            limit += VAR_LENGTH_PREFIX;
            nextVarField++;
        }
        nextVarField++;
    }
}
