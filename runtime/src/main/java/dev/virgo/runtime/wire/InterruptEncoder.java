package dev.virgo.runtime.wire;

/**
 * Encodes a INTERRUPT message (origin to node, type code 8).
 * <p>
 * Interrupts the moved thread named by the header's threadId.
 * <pre>
 * offset  field                    type
 *      0  header                   see MessageHeader (24 bytes)
 * </pre>
 */
public final class InterruptEncoder extends MessageEncoder<InterruptEncoder>
{
    public InterruptEncoder()
    {
        super(MessageType.INTERRUPT);
    }

    protected InterruptEncoder self()
    {
        return this;
    }
}
