package dev.virgo.runtime.wire;

/**
 * Encodes a SYNC message (node to origin, type code 18): one synchronization operation of a moved thread on an object
 * it shares with the origin, for the thread's shadow there to perform on the real object (see
 * {@code dev.virgo.runtime.sharing}). The header's threadId names the moved thread; {@code shadow} tells apart the
 * threads it started on the node, each of which has a shadow of its own.
 * <pre>
 * offset  field                    type
 *      0  header                   see MessageHeader (24 bytes)
 *     24  correlationId            int64: echoed by the SYNC_REPLY
 *     32  shadow                   int32: 0 for the moved thread itself
 *     36  op                       byte: one of the OP_ constants
 *     37  objectId                 int32: the object's index in the thread's shared table, -1 for a class
 *     41  timeoutMs                int64: of a wait (0: until notified); the correlationId to interrupt for INTERRUPT
 *     49  className                int32 length + UTF-8: the class monitor, or the class declaring a volatile field
 *    ...  fieldName                int32 length + UTF-8: the volatile field, else empty
 *    ...  state                    int32 length + bytes: what the thread wrote, for a release; else empty
 * </pre>
 */
public final class SyncEncoder extends MessageEncoder<SyncEncoder>
{
    /** Enter the object's monitor (an ACQUIRE follows). */
    public static final byte OP_ENTER = 1;
    /** Exit the object's monitor, after writing the released state. */
    public static final byte OP_EXIT = 2;
    /** Wait on the object (a RELEASE precedes it, an ACQUIRE follows). */
    public static final byte OP_WAIT = 3;
    /** notify() on the object. */
    public static final byte OP_NOTIFY = 4;
    /** notifyAll() on the object. */
    public static final byte OP_NOTIFY_ALL = 5;
    /** Read the volatile field, then send the state to acquire. */
    public static final byte OP_VOLATILE_READ = 6;
    /** Write the released state, the volatile field last. */
    public static final byte OP_VOLATILE_WRITE = 7;
    /** Interrupt the wait whose correlationId is in {@code timeoutMs}: the node thread was interrupted. */
    public static final byte OP_INTERRUPT = 8;
    /** The reply carries the state to acquire. */
    public static final byte OP_ACQUIRE = 9;
    /** Write the released state. */
    public static final byte OP_RELEASE = 10;
    /**
     * Write the released state (none when it is empty), and answer with the state to acquire (none when nothing changed
     * since the last exchange): a racy program's plain writes travel both ways within a bounded time.
     */
    public static final byte OP_REFRESH = 11;
    /**
     * A java.util.concurrent call that never blocks (an atomic's, a lock's {@code unlock}...), in one exchange: the
     * released state carries the arguments after the table; the shadow writes it, makes the call on the real object
     * ({@code className} the class the call site names, {@code fieldName} the method's name and descriptor), and answers
     * with the state to acquire, carrying the outcome (see SyncReplyEncoder's STATUS_THREW).
     */
    public static final byte OP_INVOKE = 12;
    /**
     * A java.util.concurrent call that may block (a lock, an await, an acquire): made with the arguments of the last
     * RELEASE, while the node thread holds no exchange; its outcome travels with the next ACQUIRE. An INTERRUPT names
     * it as it names a wait.
     */
    public static final byte OP_INVOKE_BLOCKING = 13;
    /** The highest op code. */
    public static final byte LAST_OP = OP_INVOKE_BLOCKING;
    /** The shadow number of a node's refresher: it holds no monitor, so any shadow-free thread can serve it. */
    public static final int REFRESHER_SHADOW = Integer.MAX_VALUE;

    static final int CORRELATION_ID_OFFSET = 0;
    static final int SHADOW_OFFSET = 8;
    static final int OP_OFFSET = 12;
    static final int OBJECT_ID_OFFSET = 13;
    static final int TIMEOUT_OFFSET = 17;

    static final int CLASS_NAME_FIELD = 0;
    static final int FIELD_NAME_FIELD = 1;
    static final int STATE_FIELD = 2;

    public SyncEncoder()
    {
        super(MessageType.SYNC);
    }

    protected SyncEncoder self()
    {
        return this;
    }

    /** @param correlationId echoed by the reply. @return this. */
    public SyncEncoder correlationId(final long correlationId)
    {
        buffer.putLong(fieldOffset(CORRELATION_ID_OFFSET), correlationId, MessageHeader.BYTE_ORDER);
        return this;
    }

    /** @param shadow 0 for the moved thread, else the number of a thread it started on the node. @return this. */
    public SyncEncoder shadow(final int shadow)
    {
        buffer.putInt(fieldOffset(SHADOW_OFFSET), shadow, MessageHeader.BYTE_ORDER);
        return this;
    }

    /** @param op one of the OP_ constants. @return this. */
    public SyncEncoder op(final byte op)
    {
        buffer.putByte(fieldOffset(OP_OFFSET), op);
        return this;
    }

    /** @param objectId the object's index in the shared table, or -1 for a class. @return this. */
    public SyncEncoder objectId(final int objectId)
    {
        buffer.putInt(fieldOffset(OBJECT_ID_OFFSET), objectId, MessageHeader.BYTE_ORDER);
        return this;
    }

    /** @param timeoutMs of a wait, 0 for none; for OP_INTERRUPT the correlationId of the wait. @return this. */
    public SyncEncoder timeoutMs(final long timeoutMs)
    {
        buffer.putLong(fieldOffset(TIMEOUT_OFFSET), timeoutMs, MessageHeader.BYTE_ORDER);
        return this;
    }

    /** @param className a class monitor, or the class declaring a volatile field; null as empty. @return this. */
    public SyncEncoder className(final String className)
    {
        putString(CLASS_NAME_FIELD, className);
        return this;
    }

    /** @param fieldName a volatile field; null as empty. @return this. */
    public SyncEncoder fieldName(final String fieldName)
    {
        putString(FIELD_NAME_FIELD, fieldName);
        return this;
    }

    /** @param state the released state; empty for none. @return this. */
    public SyncEncoder state(final byte[] state)
    {
        putBytes(STATE_FIELD, state, 0, state.length);
        return this;
    }
}
