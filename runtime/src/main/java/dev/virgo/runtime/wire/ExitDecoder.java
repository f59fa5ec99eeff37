package dev.virgo.runtime.wire;

import static dev.virgo.runtime.wire.ExitEncoder.*;

/**
 * Decodes an EXIT message (node to origin, type code 16).
 * <p>
 * A moved thread, or a thread it started on the node, called {@code System.exit}, {@code Runtime.exit} or
 * {@code Runtime.halt}: the origin ends the program with that status.
 * <p>
 * The layout is on {@link ExitEncoder}.
 */
public final class ExitDecoder extends MessageDecoder<ExitDecoder>
{
    public ExitDecoder()
    {
        super(MessageType.EXIT);
    }

    protected ExitDecoder self()
    {
        return this;
    }

    protected void validateFields()
    {
        booleanField("halt", HALT_OFFSET);
    }

    /** @return the exit status the program ends with. */
    public int status()
    {
        return buffer.getInt(fieldOffset(STATUS_OFFSET), MessageHeader.BYTE_ORDER);
    }

    /** @return true for {@code Runtime.halt} (no shutdown hooks), false for an exit. */
    public boolean halt()
    {
        return buffer.getByte(fieldOffset(HALT_OFFSET)) == 1;
    }
}
