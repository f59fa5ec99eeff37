package dev.virgo.runtime.wire;

/**
 * Encodes a STATE_REPLY message (node to origin, type code 10).
 * <p>
 * Answers a STATE_REQUEST.
 * <pre>
 * offset  field                    type
 *      0  header                   see MessageHeader (24 bytes)
 *     24  correlationId            int64
 *     32  state                    byte
 * </pre>
 */
public final class StateReplyEncoder extends MessageEncoder<StateReplyEncoder>
{
    static final int CORRELATION_ID_OFFSET = 0;
    static final int STATE_OFFSET = 8;

    public StateReplyEncoder()
    {
        super(MessageType.STATE_REPLY);
    }

    protected StateReplyEncoder self()
    {
        return this;
    }

    /** @param correlationId of the STATE_REQUEST answered. @return this. */
    public StateReplyEncoder correlationId(final long correlationId)
    {
        buffer.putLong(fieldOffset(CORRELATION_ID_OFFSET), correlationId, MessageHeader.BYTE_ORDER);
        return this;
    }

    /** @param state Thread.State ordinal. @return this. */
    public StateReplyEncoder state(final byte state)
    {
        buffer.putByte(fieldOffset(STATE_OFFSET), state);
        return this;
    }
}
