package dev.virgo.runtime.wire;

import org.agrona.DirectBuffer;

/**
 * Encodes a CLASS_REPLY message (origin to node, type code 6).
 * <p>
 * Answers a CLASS_REQUEST.
 * <pre>
 * offset  field                    type
 *      0  header                   see MessageHeader (24 bytes)
 *     24  correlationId            int64
 *     32  found                    bool (byte 0/1)
 *     33  classBytes               int32 length + bytes
 * </pre>
 */
public final class ClassReplyEncoder extends MessageEncoder<ClassReplyEncoder>
{
    static final int CORRELATION_ID_OFFSET = 0;
    static final int FOUND_OFFSET = 8;

    static final int CLASS_BYTES_FIELD = 0;

    public ClassReplyEncoder()
    {
        super(MessageType.CLASS_REPLY);
    }

    protected ClassReplyEncoder self()
    {
        return this;
    }

    /** @param correlationId of the CLASS_REQUEST answered. @return this. */
    public ClassReplyEncoder correlationId(final long correlationId)
    {
        buffer.putLong(fieldOffset(CORRELATION_ID_OFFSET), correlationId, MessageHeader.BYTE_ORDER);
        return this;
    }

    /** @param found whether the origin has the class. @return this. */
    public ClassReplyEncoder found(final boolean found)
    {
        buffer.putByte(fieldOffset(FOUND_OFFSET), (byte)(found ? 1 : 0));
        return this;
    }

    /**
     * @param src       holding the class file, empty when not found.
     * @param srcOffset at which it starts.
     * @param length    in bytes.
     * @return this.
     */
    public ClassReplyEncoder classBytes(final DirectBuffer src, final int srcOffset, final int length)
    {
        putBytes(CLASS_BYTES_FIELD, src, srcOffset, length);
        return this;
    }

    /** @param classBytes the class file, empty when not found. @return this. */
    public ClassReplyEncoder classBytes(final byte[] classBytes)
    {
        putBytes(CLASS_BYTES_FIELD, classBytes, 0, classBytes.length);
        return this;
    }

    /**
     * Reserves room for classBytes so that it can be serialized straight into {@link #buffer()}, without a copy.
     *
     * @param length in bytes.
     * @return the offset in {@link #buffer()} at which to write them.
     */
    public int reserveClassBytes(final int length)
    {
        return reserveBytes(CLASS_BYTES_FIELD, length);
    }
}
