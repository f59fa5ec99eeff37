package dev.virgo.runtime.wire;

/**
 * Encodes a BYE message (origin to node, type code 12).
 * <p>
 * The origin is leaving: the node drops its session.
 * <pre>
 * offset  field                    type
 *      0  header                   see MessageHeader (24 bytes)
 * </pre>
 */
public final class ByeEncoder extends MessageEncoder<ByeEncoder>
{
    public ByeEncoder()
    {
        super(MessageType.BYE);
    }

    protected ByeEncoder self()
    {
        return this;
    }
}
