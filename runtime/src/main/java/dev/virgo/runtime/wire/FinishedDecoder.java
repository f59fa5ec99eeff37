package dev.virgo.runtime.wire;

import org.agrona.MutableDirectBuffer;

import static dev.virgo.runtime.wire.FinishedEncoder.*;

/**
 * Decodes a FINISHED message (node to origin, type code 4).
 * <p>
 * A moved thread ended: how, and the state to write back.
 * <p>
 * The layout is on {@link FinishedEncoder}.
 */
public final class FinishedDecoder extends MessageDecoder<FinishedDecoder>
{
    public FinishedDecoder()
    {
        super(MessageType.FINISHED);
    }

    protected FinishedDecoder self()
    {
        return this;
    }

    protected void validateFields()
    {
        final byte outcome = outcome();
        if (outcome != OUTCOME_NORMAL && outcome != OUTCOME_EXCEPTION)
        {
            throw malformed(
                "outcome is " + outcome + ", expected " + OUTCOME_NORMAL + " or " + OUTCOME_EXCEPTION);
        }
    }

    /** @return OUTCOME_NORMAL (0) or OUTCOME_EXCEPTION (1). */
    public byte outcome()
    {
        return buffer.getByte(fieldOffset(OUTCOME_OFFSET));
    }

    /** @return offset in {@link #buffer()} of {@code finalState}, to read it in place. */
    public int finalStateOffset()
    {
        return varOffset(FINAL_STATE_FIELD);
    }

    /** @return length in bytes of finalState. */
    public int finalStateLength()
    {
        return varLength(FINAL_STATE_FIELD);
    }

    /** @return a copy of finalState. */
    public byte[] finalState()
    {
        return copyBytes(FINAL_STATE_FIELD);
    }

    /**
     * Copies finalState out.
     *
     * @param dst       to copy into.
     * @param dstOffset at which to put the first byte.
     */
    public void getFinalState(final MutableDirectBuffer dst, final int dstOffset)
    {
        copyBytes(FINAL_STATE_FIELD, dst, dstOffset);
    }

    /** @return offset in {@link #buffer()} of {@code throwable}, to read it in place. */
    public int throwableOffset()
    {
        return varOffset(THROWABLE_FIELD);
    }

    /** @return length in bytes of throwable. */
    public int throwableLength()
    {
        return varLength(THROWABLE_FIELD);
    }

    /** @return a copy of throwable. */
    public byte[] throwable()
    {
        return copyBytes(THROWABLE_FIELD);
    }

    /**
     * Copies throwable out.
     *
     * @param dst       to copy into.
     * @param dstOffset at which to put the first byte.
     */
    public void getThrowable(final MutableDirectBuffer dst, final int dstOffset)
    {
        copyBytes(THROWABLE_FIELD, dst, dstOffset);
    }
}
