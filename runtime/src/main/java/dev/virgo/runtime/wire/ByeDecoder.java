package dev.virgo.runtime.wire;

import static dev.virgo.runtime.wire.ByeEncoder.*;

/**
 * Decodes a BYE message (origin to node, type code 12).
 * <p>
 * The origin is leaving: the node drops its session.
 * <p>
 * The layout is on {@link ByeEncoder}.
 */
public final class ByeDecoder extends MessageDecoder<ByeDecoder>
{
    public ByeDecoder()
    {
        super(MessageType.BYE);
    }

    protected ByeDecoder self()
    {
        return this;
    }
}
