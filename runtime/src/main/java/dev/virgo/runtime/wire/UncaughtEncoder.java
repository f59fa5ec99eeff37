package dev.virgo.runtime.wire;

/**
 * Encodes an UNCAUGHT message (node to origin, type code 17).
 * <p>
 * The moved thread named by the header's threadId handed an exception to its own uncaught-exception handler, which
 * lives at the origin: the origin calls it with the origin's {@code Thread}.
 * <pre>
 * offset  field                    type
 *      0  header                   see MessageHeader (24 bytes)
 *     24  throwable                int32 length + bytes
 * </pre>
 */
public final class UncaughtEncoder extends MessageEncoder<UncaughtEncoder>
{
    static final int THROWABLE_FIELD = 0;

    public UncaughtEncoder()
    {
        super(MessageType.UNCAUGHT);
    }

    protected UncaughtEncoder self()
    {
        return this;
    }

    /** @param throwable the exception, encoded by the graph codec. @return this. */
    public UncaughtEncoder throwable(final byte[] throwable)
    {
        putBytes(THROWABLE_FIELD, throwable, 0, throwable.length);
        return this;
    }
}
