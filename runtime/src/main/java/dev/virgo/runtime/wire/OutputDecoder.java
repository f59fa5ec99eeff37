package dev.virgo.runtime.wire;

import org.agrona.MutableDirectBuffer;

import static dev.virgo.runtime.wire.OutputEncoder.*;

/**
 * Decodes a OUTPUT message (node to origin, type code 7).
 * <p>
 * Bytes a moved thread wrote to System.out or System.err.
 * <p>
 * The layout is on {@link OutputEncoder}.
 */
public final class OutputDecoder extends MessageDecoder<OutputDecoder>
{
    public OutputDecoder()
    {
        super(MessageType.OUTPUT);
    }

    protected OutputDecoder self()
    {
        return this;
    }

    protected void validateFields()
    {
        final byte stream = stream();
        if (stream != STREAM_OUT && stream != STREAM_ERR)
        {
            throw malformed(
                "stream is " + stream + ", expected " + STREAM_OUT + " or " + STREAM_ERR);
        }
    }

    /** @return STREAM_OUT (1) or STREAM_ERR (2). */
    public byte stream()
    {
        return buffer.getByte(fieldOffset(STREAM_OFFSET));
    }

    /** @return offset in {@link #buffer()} of {@code bytes}, to read it in place. */
    public int bytesOffset()
    {
        return varOffset(BYTES_FIELD);
    }

    /** @return length in bytes of bytes. */
    public int bytesLength()
    {
        return varLength(BYTES_FIELD);
    }

    /** @return a copy of bytes. */
    public byte[] bytes()
    {
        return copyBytes(BYTES_FIELD);
    }

    /**
     * Copies bytes out.
     *
     * @param dst       to copy into.
     * @param dstOffset at which to put the first byte.
     */
    public void getBytes(final MutableDirectBuffer dst, final int dstOffset)
    {
        copyBytes(BYTES_FIELD, dst, dstOffset);
    }

    /** @return offset of the payload ({@code bytes}) in {@link #buffer()}. */
    public int payloadOffset()
    {
        return varOffset(BYTES_FIELD);
    }

    /** @return length of the payload ({@code bytes}). */
    public int payloadLength()
    {
        return varLength(BYTES_FIELD);
    }
}
