package dev.virgo.runtime.wire;

import org.agrona.DirectBuffer;

/**
 * Encodes a CLASS_REPLY message (origin to node, type code 6).
 * <p>
 * Answers every CLASS_REQUEST: with the class file, with "not found" (the loader has no such class), or with a
 * refusal and its reason (the loader id is unknown or its loader was dropped, the name is not a class name), which
 * the node turns into a {@link ClassNotFoundException} saying why. The header's threadId echoes the request's.
 * <pre>
 * offset  field                    type
 *      0  header                   see MessageHeader (24 bytes)
 *     24  correlationId            int64
 *     32  status                   byte: 0 not found, 1 found, 2 refused
 *     33  classBytes               int32 length + bytes (empty unless found)
 *    ...  reason                   int32 length + UTF-8 bytes (empty unless refused)
 * </pre>
 */
public final class ClassReplyEncoder extends MessageEncoder<ClassReplyEncoder>
{
    /** {@code status}: the loader has no class of that name. */
    public static final byte STATUS_NOT_FOUND = 0;
    /** {@code status}: {@code classBytes} holds the class file. */
    public static final byte STATUS_FOUND = 1;
    /** {@code status}: the origin will not answer this request; {@code reason} says why. */
    public static final byte STATUS_REFUSED = 2;

    static final int CORRELATION_ID_OFFSET = 0;
    static final int STATUS_OFFSET = 8;

    static final int CLASS_BYTES_FIELD = 0;
    static final int REASON_FIELD = 1;

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

    /** @param status STATUS_NOT_FOUND (0), STATUS_FOUND (1) or STATUS_REFUSED (2). @return this. */
    public ClassReplyEncoder status(final byte status)
    {
        buffer.putByte(fieldOffset(STATUS_OFFSET), status);
        return this;
    }

    /**
     * @param src       holding the class file.
     * @param srcOffset at which it starts.
     * @param length    in bytes.
     * @return this.
     */
    public ClassReplyEncoder classBytes(final DirectBuffer src, final int srcOffset, final int length)
    {
        putBytes(CLASS_BYTES_FIELD, src, srcOffset, length);
        return this;
    }

    /** @param classBytes the class file. @return this. */
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

    /** @param reason why the request is refused, naming the loader id or the name; null is written as empty. @return this. */
    public ClassReplyEncoder reason(final String reason)
    {
        putString(REASON_FIELD, reason);
        return this;
    }
}
