package dev.virgo.runtime.wire;

/**
 * Encodes an EXIT message (node to origin, type code 16).
 * <p>
 * A moved thread (named by the header's threadId), or a thread it started on the node, called {@code System.exit},
 * {@code Runtime.exit} or {@code Runtime.halt}: the origin ends the program with that status.
 * <pre>
 * offset  field                    type
 *      0  header                   see MessageHeader (24 bytes)
 *     24  status                   int32
 *     28  halt                     bool (byte 0/1)
 * </pre>
 */
public final class ExitEncoder extends MessageEncoder<ExitEncoder>
{
    static final int STATUS_OFFSET = 0;
    static final int HALT_OFFSET = 4;

    public ExitEncoder()
    {
        super(MessageType.EXIT);
    }

    protected ExitEncoder self()
    {
        return this;
    }

    /** @param status the exit status the program ends with. @return this. */
    public ExitEncoder status(final int status)
    {
        buffer.putInt(fieldOffset(STATUS_OFFSET), status, MessageHeader.BYTE_ORDER);
        return this;
    }

    /** @param halt true for {@code Runtime.halt} (no shutdown hooks), false for an exit. @return this. */
    public ExitEncoder halt(final boolean halt)
    {
        buffer.putByte(fieldOffset(HALT_OFFSET), (byte)(halt ? 1 : 0));
        return this;
    }
}
