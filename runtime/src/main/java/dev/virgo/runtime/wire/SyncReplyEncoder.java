package dev.virgo.runtime.wire;

/**
 * Encodes a SYNC_REPLY message (origin to node, type code 19): the shadow performed a SYNC. The header's threadId
 * echoes the request's.
 * <pre>
 * offset  field                    type
 *      0  header                   see MessageHeader (24 bytes)
 *     24  correlationId            int64: of the SYNC answered
 *     32  status                   byte: one of the STATUS_ constants
 *     33  state                    int32 length + bytes: the state to acquire, or empty
 *    ...  message                  int32 length + UTF-8: why it failed, else empty
 * </pre>
 */
public final class SyncReplyEncoder extends MessageEncoder<SyncReplyEncoder>
{
    /** Done; {@code state} holds what to acquire, if the operation acquires. */
    public static final byte STATUS_DONE = 0;
    /** The wait was interrupted; the monitor is held again, {@code state} holds what to acquire. */
    public static final byte STATUS_INTERRUPTED = 1;
    /** The shadow does not hold the monitor: IllegalMonitorStateException. */
    public static final byte STATUS_ILLEGAL_MONITOR_STATE = 2;
    /** The operation could not be performed; {@code message} says why. */
    public static final byte STATUS_FAILED = 3;
    /** The call (OP_INVOKE, OP_INVOKE_BLOCKING) threw: its outcome is the exception, not a result. */
    public static final byte STATUS_THREW = 4;
    /**
     * The released state was written, but the state to answer with could not be encoded: the two sides no longer
     * agree on what the other has; {@code message} says why.
     */
    public static final byte STATUS_BROKEN = 5;
    /** The highest status code. */
    public static final byte LAST_STATUS = STATUS_BROKEN;

    static final int CORRELATION_ID_OFFSET = 0;
    static final int STATUS_OFFSET = 8;

    static final int STATE_FIELD = 0;
    static final int MESSAGE_FIELD = 1;

    public SyncReplyEncoder()
    {
        super(MessageType.SYNC_REPLY);
    }

    protected SyncReplyEncoder self()
    {
        return this;
    }

    /** @param correlationId of the SYNC answered. @return this. */
    public SyncReplyEncoder correlationId(final long correlationId)
    {
        buffer.putLong(fieldOffset(CORRELATION_ID_OFFSET), correlationId, MessageHeader.BYTE_ORDER);
        return this;
    }

    /** @param status one of the STATUS_ constants. @return this. */
    public SyncReplyEncoder status(final byte status)
    {
        buffer.putByte(fieldOffset(STATUS_OFFSET), status);
        return this;
    }

    /** @param state to acquire; empty for none. @return this. */
    public SyncReplyEncoder state(final byte[] state)
    {
        putBytes(STATE_FIELD, state, 0, state.length);
        return this;
    }

    /** @param message why it failed; null as empty. @return this. */
    public SyncReplyEncoder message(final String message)
    {
        putString(MESSAGE_FIELD, message);
        return this;
    }
}
