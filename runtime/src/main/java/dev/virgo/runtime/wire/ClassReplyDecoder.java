package dev.virgo.runtime.wire;

import org.agrona.MutableDirectBuffer;

import static dev.virgo.runtime.wire.ClassReplyEncoder.*;

/**
 * Decodes a CLASS_REPLY message (origin to node, type code 6).
 * <p>
 * Answers every CLASS_REQUEST: found, not found, or refused with a reason.
 * <p>
 * The layout is on {@link ClassReplyEncoder}.
 */
public final class ClassReplyDecoder extends MessageDecoder<ClassReplyDecoder>
{
    public ClassReplyDecoder()
    {
        super(MessageType.CLASS_REPLY);
    }

    protected ClassReplyDecoder self()
    {
        return this;
    }

    protected void validateFields()
    {
        final byte status = status();
        if (status != STATUS_NOT_FOUND && status != STATUS_FOUND && status != STATUS_REFUSED)
        {
            throw malformed("status is " + status + ", expected " + STATUS_NOT_FOUND + ", " + STATUS_FOUND + " or " +
                STATUS_REFUSED);
        }
    }

    /** @return of the CLASS_REQUEST answered. */
    public long correlationId()
    {
        return buffer.getLong(fieldOffset(CORRELATION_ID_OFFSET), MessageHeader.BYTE_ORDER);
    }

    /** @return STATUS_NOT_FOUND (0), STATUS_FOUND (1) or STATUS_REFUSED (2). */
    public byte status()
    {
        return buffer.getByte(fieldOffset(STATUS_OFFSET));
    }

    /** @return whether the origin sent the class. */
    public boolean found()
    {
        return status() == STATUS_FOUND;
    }

    /** @return offset in {@link #buffer()} of {@code classBytes}, to read it in place. */
    public int classBytesOffset()
    {
        return varOffset(CLASS_BYTES_FIELD);
    }

    /** @return length in bytes of classBytes. */
    public int classBytesLength()
    {
        return varLength(CLASS_BYTES_FIELD);
    }

    /** @return a copy of classBytes. */
    public byte[] classBytes()
    {
        return copyBytes(CLASS_BYTES_FIELD);
    }

    /**
     * Copies classBytes out.
     *
     * @param dst       to copy into.
     * @param dstOffset at which to put the first byte.
     */
    public void getClassBytes(final MutableDirectBuffer dst, final int dstOffset)
    {
        copyBytes(CLASS_BYTES_FIELD, dst, dstOffset);
    }

    /** @return offset of the payload ({@code classBytes}) in {@link #buffer()}. */
    public int payloadOffset()
    {
        return varOffset(CLASS_BYTES_FIELD);
    }

    /** @return length of the payload ({@code classBytes}). */
    public int payloadLength()
    {
        return varLength(CLASS_BYTES_FIELD);
    }

    /** @return why the request was refused; empty unless refused. Decoding UTF-8 allocates. */
    public String reason()
    {
        return string(REASON_FIELD);
    }
}
