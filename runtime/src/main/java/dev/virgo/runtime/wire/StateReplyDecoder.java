package dev.virgo.runtime.wire;

import static dev.virgo.runtime.wire.StateReplyEncoder.*;

/**
 * Decodes a STATE_REPLY message (node to origin, type code 10).
 * <p>
 * Answers a STATE_REQUEST.
 * <p>
 * The layout is on {@link StateReplyEncoder}.
 */
public final class StateReplyDecoder extends MessageDecoder<StateReplyDecoder>
{
    private static final Thread.State[] THREAD_STATES = Thread.State.values();

    public StateReplyDecoder()
    {
        super(MessageType.STATE_REPLY);
    }

    protected StateReplyDecoder self()
    {
        return this;
    }

    protected void validateFields()
    {
        final byte state = state();
        if (state < 0 || state >= THREAD_STATES.length)
        {
            throw malformed(
                "state is " + state + ", expected a Thread.State ordinal 0.." + (THREAD_STATES.length - 1));
        }
    }

    /** @return of the STATE_REQUEST answered. */
    public long correlationId()
    {
        return buffer.getLong(fieldOffset(CORRELATION_ID_OFFSET), MessageHeader.BYTE_ORDER);
    }

    /** @return Thread.State ordinal. */
    public byte state()
    {
        return buffer.getByte(fieldOffset(STATE_OFFSET));
    }

    /** @return the state as a {@link Thread.State}. */
    public Thread.State threadState()
    {
        return THREAD_STATES[state()];
    }
}
