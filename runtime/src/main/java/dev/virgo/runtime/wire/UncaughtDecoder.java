package dev.virgo.runtime.wire;

import static dev.virgo.runtime.wire.UncaughtEncoder.*;

/**
 * Decodes an UNCAUGHT message (node to origin, type code 17).
 * <p>
 * The moved thread named by the header's threadId handed an exception to its own uncaught-exception handler, which
 * lives at the origin.
 * <p>
 * The layout is on {@link UncaughtEncoder}.
 */
public final class UncaughtDecoder extends MessageDecoder<UncaughtDecoder>
{
    public UncaughtDecoder()
    {
        super(MessageType.UNCAUGHT);
    }

    protected UncaughtDecoder self()
    {
        return this;
    }

    /** @return length in bytes of throwable. */
    public int throwableLength()
    {
        return varLength(THROWABLE_FIELD);
    }

    /** @return a copy of throwable, the exception encoded by the graph codec. */
    public byte[] throwable()
    {
        return copyBytes(THROWABLE_FIELD);
    }
}
