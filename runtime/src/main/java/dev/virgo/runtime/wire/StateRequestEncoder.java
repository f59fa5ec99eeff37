package dev.virgo.runtime.wire;

/**
 * Encodes a STATE_REQUEST message (origin to node, type code 9).
 * <p>
 * Asks for the Thread.State of the moved thread named by the header's threadId.
 * <pre>
 * offset  field                    type
 *      0  header                   see MessageHeader (24 bytes)
 *     24  correlationId            int64
 * </pre>
 */
public final class StateRequestEncoder extends MessageEncoder<StateRequestEncoder>
{
    static final int CORRELATION_ID_OFFSET = 0;

    public StateRequestEncoder()
    {
        super(MessageType.STATE_REQUEST);
    }

    protected StateRequestEncoder self()
    {
        return this;
    }

    /** @param correlationId echoed in the STATE_REPLY. @return this. */
    public StateRequestEncoder correlationId(final long correlationId)
    {
        buffer.putLong(fieldOffset(CORRELATION_ID_OFFSET), correlationId, MessageHeader.BYTE_ORDER);
        return this;
    }
}
