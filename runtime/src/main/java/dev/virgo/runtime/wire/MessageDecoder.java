package dev.virgo.runtime.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static dev.virgo.runtime.wire.MessageHeader.*;

/**
 * Base of the message decoders. {@link #wrap} checks the whole message before anything is read: bounds, header,
 * type, version, that the fixed fields are present, that each variable field's length is neither negative nor
 * beyond the message, that nothing trails the last field, and each type's own range checks. After a successful wrap
 * no getter can fail or read outside {@code [offset, offset + length)}. Reusable; not thread-safe.
 *
 * @param <D> the concrete decoder, returned by {@link #wrap}.
 */
public abstract class MessageDecoder<D extends MessageDecoder<D>>
{
    private final MessageType type;
    private final int[] varOffsets;
    private final int[] varLengths;
    protected DirectBuffer buffer;
    protected int offset;
    protected int length;

    protected MessageDecoder(final MessageType type)
    {
        this.type = type;
        this.varOffsets = new int[type.varFieldCount()];
        this.varLengths = new int[type.varFieldCount()];
    }

    protected abstract D self();

    /** Range checks on the fixed fields, run at the end of {@link #wrap}; throw {@link #malformed(String)}. */
    protected void validateFields()
    {
    }

    /**
     * Checks a message and makes it readable.
     *
     * @param buffer holding the message.
     * @param offset at which it starts.
     * @param length of the message.
     * @return this.
     * @throws MalformedMessageException naming the type and the fault.
     */
    public D wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        MessageHeaderDecoder.checkBounds(type, buffer, offset, length);
        if (length < LENGTH)
        {
            throw new MalformedMessageException(
                type + ": truncated, " + length + " bytes is shorter than the " + LENGTH + "-byte header");
        }

        final int code = buffer.getShort(offset + TYPE_OFFSET, BYTE_ORDER) & 0xFFFF;
        if (code != type.code())
        {
            final MessageType actual = MessageType.get(code);
            throw new MalformedMessageException(type + ": wrong decoder for " +
                (null == actual ? "unknown type code " + code : actual + " (type code " + code + ")"));
        }

        final int version = buffer.getShort(offset + VERSION_OFFSET, BYTE_ORDER) & 0xFFFF;
        if (version != CURRENT_VERSION)
        {
            throw new MalformedMessageException(
                type + ": unsupported version " + version + " (expected " + CURRENT_VERSION + ")");
        }

        final int fixedEnd = LENGTH + type.fixedLength();
        if (length < fixedEnd)
        {
            throw new MalformedMessageException(type + ": truncated, " + length + " bytes is shorter than the " +
                fixedEnd + " bytes of header and fixed fields");
        }

        int position = fixedEnd;
        for (int i = 0; i < varOffsets.length; i++)
        {
            final int remaining = length - position;
            if (remaining < VAR_LENGTH_PREFIX)
            {
                throw new MalformedMessageException(type + ": truncated, " + type.varFieldName(i) +
                    " length prefix at offset " + position + " needs 4 bytes but " + remaining + " remain");
            }
            final int fieldLength = buffer.getInt(offset + position, BYTE_ORDER);
            if (fieldLength < 0)
            {
                throw new MalformedMessageException(type + ": " + type.varFieldName(i) + " has negative length " +
                    fieldLength + " at offset " + position);
            }
            if (fieldLength > remaining - VAR_LENGTH_PREFIX)
            {
                throw new MalformedMessageException(type + ": " + type.varFieldName(i) + " length " + fieldLength +
                    " at offset " + position + " overruns the message: only " + (remaining - VAR_LENGTH_PREFIX) +
                    " bytes remain");
            }
            varOffsets[i] = offset + position + VAR_LENGTH_PREFIX;
            varLengths[i] = fieldLength;
            position += VAR_LENGTH_PREFIX + fieldLength;
        }

        if (position != length)
        {
            throw new MalformedMessageException(
                type + ": " + (length - position) + " unexpected bytes after the last field at offset " + position);
        }

        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        try
        {
            validateFields();
        }
        catch (final MalformedMessageException ex)
        {
            this.buffer = null;
            throw ex;
        }
        return self();
    }

    /** @return the type this decoder reads. */
    public MessageType type()
    {
        return type;
    }

    /** @return the buffer of the message last wrapped; bytes fields are read from it in place. */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** @return the offset of the message last wrapped. */
    public int offset()
    {
        return offset;
    }

    /** @return the length of the message last wrapped. */
    public int length()
    {
        return length;
    }

    /** @return the message's flags. */
    public int flags()
    {
        return buffer.getInt(offset + FLAGS_OFFSET, BYTE_ORDER);
    }

    /** @return the origin the message belongs to. */
    public long originId()
    {
        return buffer.getLong(offset + ORIGIN_ID_OFFSET, BYTE_ORDER);
    }

    /** @return the moved thread the message is about, 0 if none. */
    public long threadId()
    {
        return buffer.getLong(offset + THREAD_ID_OFFSET, BYTE_ORDER);
    }

    protected final int fieldOffset(final int fixedFieldOffset)
    {
        return offset + LENGTH + fixedFieldOffset;
    }

    protected final MalformedMessageException malformed(final String what)
    {
        return new MalformedMessageException(type + ": " + what);
    }

    protected final boolean booleanField(final String name, final int fixedFieldOffset)
    {
        final byte value = buffer.getByte(fieldOffset(fixedFieldOffset));
        if (value != 0 && value != 1)
        {
            throw malformed(name + " is " + value + ", expected 0 or 1");
        }
        return value == 1;
    }

    protected final String string(final int varField)
    {
        return buffer.getStringWithoutLengthUtf8(varOffsets[varField], varLengths[varField]);
    }

    protected final int varOffset(final int varField)
    {
        return varOffsets[varField];
    }

    protected final int varLength(final int varField)
    {
        return varLengths[varField];
    }

    protected final byte[] copyBytes(final int varField)
    {
        final byte[] bytes = new byte[varLengths[varField]];
        buffer.getBytes(varOffsets[varField], bytes);
        return bytes;
    }

    protected final void copyBytes(final int varField, final MutableDirectBuffer dst, final int dstOffset)
    {
        dst.putBytes(dstOffset, buffer, varOffsets[varField], varLengths[varField]);
    }
}
