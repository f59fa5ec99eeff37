package dev.virgo.runtime.wire;

import org.agrona.DirectBuffer;

/**
 * Encodes a START message (origin to node, type code 3).
 * <p>
 * Starts a moved thread on the node (the header's threadId names it).
 * <pre>
 * offset  field                    type
 *      0  header                   see MessageHeader (24 bytes)
 *     24  daemon                   bool (byte 0/1)
 *     25  priority                 int32
 *     29  threadName               int32 length + UTF-8 bytes
 *    ...  snapshot                 int32 length + bytes
 * </pre>
 * The header's flags may carry {@link #FLAG_OWN_HANDLER}; no other bit is defined.
 */
public final class StartEncoder extends MessageEncoder<StartEncoder>
{
    /**
     * Header flag: the thread has an uncaught-exception handler of its own at the origin (not its thread group), so on
     * the node it answers {@code getUncaughtExceptionHandler()} with one that reaches it.
     */
    public static final int FLAG_OWN_HANDLER = 1;

    static final int DAEMON_OFFSET = 0;
    static final int PRIORITY_OFFSET = 1;

    static final int THREAD_NAME_FIELD = 0;
    static final int SNAPSHOT_FIELD = 1;

    public StartEncoder()
    {
        super(MessageType.START);
    }

    protected StartEncoder self()
    {
        return this;
    }

    /** @param daemon whether the thread is a daemon thread. @return this. */
    public StartEncoder daemon(final boolean daemon)
    {
        buffer.putByte(fieldOffset(DAEMON_OFFSET), (byte)(daemon ? 1 : 0));
        return this;
    }

    /** @param ownHandler whether the thread has its own uncaught-exception handler. @return this. */
    public StartEncoder ownHandler(final boolean ownHandler)
    {
        return flags(ownHandler ? FLAG_OWN_HANDLER : 0);
    }

    /** @param priority the thread's priority. @return this. */
    public StartEncoder priority(final int priority)
    {
        buffer.putInt(fieldOffset(PRIORITY_OFFSET), priority, MessageHeader.BYTE_ORDER);
        return this;
    }

    /**
     * @param threadName the thread's name; null is written as empty.
     * @return this.
     */
    public StartEncoder threadName(final String threadName)
    {
        putString(THREAD_NAME_FIELD, threadName);
        return this;
    }

    /**
     * @param src       holding the serialized Runnable and what it reaches (Kryo), opaque here.
     * @param srcOffset at which it starts.
     * @param length    in bytes.
     * @return this.
     */
    public StartEncoder snapshot(final DirectBuffer src, final int srcOffset, final int length)
    {
        putBytes(SNAPSHOT_FIELD, src, srcOffset, length);
        return this;
    }

    /** @param snapshot the serialized Runnable and what it reaches (Kryo), opaque here. @return this. */
    public StartEncoder snapshot(final byte[] snapshot)
    {
        putBytes(SNAPSHOT_FIELD, snapshot, 0, snapshot.length);
        return this;
    }

    /**
     * Reserves room for snapshot so that it can be serialized straight into {@link #buffer()}, without a copy.
     *
     * @param length in bytes.
     * @return the offset in {@link #buffer()} at which to write them.
     */
    public int reserveSnapshot(final int length)
    {
        return reserveBytes(SNAPSHOT_FIELD, length);
    }
}
