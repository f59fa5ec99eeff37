package dev.virgo.runtime.wire;

/**
 * Encodes a CLASS_REQUEST message (node to origin, type code 5).
 * <p>
 * Asks the origin for the bytes of a class the node cannot find, as one of the origin's class loaders defines it.
 * The header's threadId carries the node's index, as in WELCOME: the request is about a loader, not a thread, and
 * the origin answers it whether or not the thread that caused it still runs.
 * <pre>
 * offset  field                    type
 *      0  header                   see MessageHeader (24 bytes)
 *     24  correlationId            int64
 *     32  loaderId                 int32
 *     36  className                int32 length + UTF-8 bytes
 * </pre>
 */
public final class ClassRequestEncoder extends MessageEncoder<ClassRequestEncoder>
{
    static final int CORRELATION_ID_OFFSET = 0;
    static final int LOADER_ID_OFFSET = 8;

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
     * @param loaderId the origin's number for the class loader to ask, as START's payload gave it (positive).
     * @return this.
     */
    public ClassRequestEncoder loaderId(final int loaderId)
    {
        buffer.putInt(fieldOffset(LOADER_ID_OFFSET), loaderId, MessageHeader.BYTE_ORDER);
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
