package dev.virgo.runtime.wire;

import org.agrona.DirectBuffer;

/**
 * Encodes a FINISHED message (node to origin, type code 4).
 * <p>
 * A moved thread ended: how, and the state to write back.
 * <pre>
 * offset  field                    type
 *      0  header                   see MessageHeader (24 bytes)
 *     24  outcome                  byte
 *     25  finalState               int32 length + bytes
 *    ...  throwable                int32 length + bytes
 * </pre>
 */
public final class FinishedEncoder extends MessageEncoder<FinishedEncoder>
{
    /** {@code outcome}: the thread returned normally. */
    public static final byte OUTCOME_NORMAL = 0;
    /** {@code outcome}: the thread ended with an uncaught exception, carried in {@code throwable}. */
    public static final byte OUTCOME_EXCEPTION = 1;

    static final int OUTCOME_OFFSET = 0;

    static final int FINAL_STATE_FIELD = 0;
    static final int THROWABLE_FIELD = 1;

    public FinishedEncoder()
    {
        super(MessageType.FINISHED);
    }

    protected FinishedEncoder self()
    {
        return this;
    }

    /** @param outcome OUTCOME_NORMAL (0) or OUTCOME_EXCEPTION (1). @return this. */
    public FinishedEncoder outcome(final byte outcome)
    {
        buffer.putByte(fieldOffset(OUTCOME_OFFSET), outcome);
        return this;
    }

    /**
     * @param src       holding the serialized final state of what the thread reached (Kryo).
     * @param srcOffset at which it starts.
     * @param length    in bytes.
     * @return this.
     */
    public FinishedEncoder finalState(final DirectBuffer src, final int srcOffset, final int length)
    {
        putBytes(FINAL_STATE_FIELD, src, srcOffset, length);
        return this;
    }

    /** @param finalState the serialized final state of what the thread reached (Kryo). @return this. */
    public FinishedEncoder finalState(final byte[] finalState)
    {
        putBytes(FINAL_STATE_FIELD, finalState, 0, finalState.length);
        return this;
    }

    /**
     * Reserves room for finalState so that it can be serialized straight into {@link #buffer()}, without a copy.
     *
     * @param length in bytes.
     * @return the offset in {@link #buffer()} at which to write them.
     */
    public int reserveFinalState(final int length)
    {
        return reserveBytes(FINAL_STATE_FIELD, length);
    }

    /**
     * @param src       holding the serialized uncaught throwable, empty if none.
     * @param srcOffset at which it starts.
     * @param length    in bytes.
     * @return this.
     */
    public FinishedEncoder throwable(final DirectBuffer src, final int srcOffset, final int length)
    {
        putBytes(THROWABLE_FIELD, src, srcOffset, length);
        return this;
    }

    /** @param throwable the serialized uncaught throwable, empty if none. @return this. */
    public FinishedEncoder throwable(final byte[] throwable)
    {
        putBytes(THROWABLE_FIELD, throwable, 0, throwable.length);
        return this;
    }

    /**
     * Reserves room for throwable so that it can be serialized straight into {@link #buffer()}, without a copy.
     *
     * @param length in bytes.
     * @return the offset in {@link #buffer()} at which to write them.
     */
    public int reserveThrowable(final int length)
    {
        return reserveBytes(THROWABLE_FIELD, length);
    }
}
