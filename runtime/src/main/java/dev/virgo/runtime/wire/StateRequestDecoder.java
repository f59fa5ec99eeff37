package dev.virgo.runtime.wire;

import static dev.virgo.runtime.wire.StateRequestEncoder.*;

/**
 * Decodes a STATE_REQUEST message (origin to node, type code 9).
 * <p>
 * Asks for the Thread.State of the moved thread named by the header's threadId.
 * <p>
 * The layout is on {@link StateRequestEncoder}.
 */
public final class StateRequestDecoder extends MessageDecoder<StateRequestDecoder>
{
    public StateRequestDecoder()
    {
        super(MessageType.STATE_REQUEST);
    }

    protected StateRequestDecoder self()
    {
        return this;
    }

    /** @return echoed in the STATE_REPLY. */
    public long correlationId()
    {
        return buffer.getLong(fieldOffset(CORRELATION_ID_OFFSET), MessageHeader.BYTE_ORDER);
    }
}
