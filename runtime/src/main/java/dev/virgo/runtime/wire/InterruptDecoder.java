package dev.virgo.runtime.wire;

import static dev.virgo.runtime.wire.InterruptEncoder.*;

/**
 * Decodes a INTERRUPT message (origin to node, type code 8).
 * <p>
 * Interrupts the moved thread named by the header's threadId.
 * <p>
 * The layout is on {@link InterruptEncoder}.
 */
public final class InterruptDecoder extends MessageDecoder<InterruptDecoder>
{
    public InterruptDecoder()
    {
        super(MessageType.INTERRUPT);
    }

    protected InterruptDecoder self()
    {
        return this;
    }
}
