package dev.virgo.runtime.wire;

/**
 * Encodes a CLASS_REQUEST message (node to origin, type code 5).
 * <p>
 * Asks the origin for the bytes of a class the node cannot find.
 * <pre>
 * offset  field                    type
 *      0  header                   see MessageHeader (24 bytes)
 *     24  correlationId            int64
 *     32  className                int32 length + UTF-8 bytes
 * </pre>
 */
public final class ClassRequestEncoder extends MessageEncoder<ClassRequestEncoder>
{
    static final int CORRELATION_ID_OFFSET = 0;

    static final int CLASS_NAME_FIELD = 0;

    public ClassRequestEncoder()
    {
        super(MessageType.CLASS_REQUEST);
    }

    protected ClassRequestEncoder self()
    {
        return this;
    }

    /** @param correlationId echoed in the CLASS_REPLY. @return this. */
    public ClassRequestEncoder correlationId(final long correlationId)
    {
        buffer.putLong(fieldOffset(CORRELATION_ID_OFFSET), correlationId, MessageHeader.BYTE_ORDER);
        return this;
    }

    /**
     * @param className binary name of the class, e.g. com.acme.Foo$Bar; null is written as empty.
     * @return this.
     */
    public ClassRequestEncoder className(final String className)
    {
        putString(CLASS_NAME_FIELD, className);
        return this;
    }
}
