package dev.virgo.runtime.wire;

import org.agrona.DirectBuffer;

/**
 * Encodes a OUTPUT message (node to origin, type code 7).
 * <p>
 * Bytes a moved thread wrote to System.out or System.err.
 * <pre>
 * offset  field                    type
 *      0  header                   see MessageHeader (24 bytes)
 *     24  stream                   byte
 *     25  bytes                    int32 length + bytes
 * </pre>
 */
public final class OutputEncoder extends MessageEncoder<OutputEncoder>
{
    /** {@code stream}: System.out. */
    public static final byte STREAM_OUT = 1;
    /** {@code stream}: System.err. */
    public static final byte STREAM_ERR = 2;

    static final int STREAM_OFFSET = 0;

    static final int BYTES_FIELD = 0;

    public OutputEncoder()
    {
        super(MessageType.OUTPUT);
    }

    protected OutputEncoder self()
    {
        return this;
    }

    /** @param stream STREAM_OUT (1) or STREAM_ERR (2). @return this. */
    public OutputEncoder stream(final byte stream)
    {
        buffer.putByte(fieldOffset(STREAM_OFFSET), stream);
        return this;
    }

    /**
     * @param src       holding the bytes written.
     * @param srcOffset at which it starts.
     * @param length    in bytes.
     * @return this.
     */
    public OutputEncoder bytes(final DirectBuffer src, final int srcOffset, final int length)
    {
        putBytes(BYTES_FIELD, src, srcOffset, length);
        return this;
    }

    /** @param bytes the bytes written. @return this. */
    public OutputEncoder bytes(final byte[] bytes)
    {
        putBytes(BYTES_FIELD, bytes, 0, bytes.length);
        return this;
    }

    /**
     * Reserves room for bytes so that it can be serialized straight into {@link #buffer()}, without a copy.
     *
     * @param length in bytes.
     * @return the offset in {@link #buffer()} at which to write them.
     */
    public int reserveBytes(final int length)
    {
        return reserveBytes(BYTES_FIELD, length);
    }
}
