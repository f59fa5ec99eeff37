package dev.virgo.runtime.wire;

import org.agrona.MutableDirectBuffer;

import static dev.virgo.runtime.wire.StartEncoder.*;

/**
 * Decodes a START message (origin to node, type code 3).
 * <p>
 * Starts a moved thread on the node (the header's threadId names it).
 * <p>
 * The layout is on {@link StartEncoder}.
 */
public final class StartDecoder extends MessageDecoder<StartDecoder>
{
    public StartDecoder()
    {
        super(MessageType.START);
    }

    protected StartDecoder self()
    {
        return this;
    }

    protected void validateFields()
    {
        final int flags = flags();
        if ((flags & ~FLAG_OWN_HANDLER) != 0)
        {
            throw malformed("flags are 0x" + Integer.toHexString(flags) + ", only 0x" +
                Integer.toHexString(FLAG_OWN_HANDLER) + " (own uncaught-exception handler) is defined");
        }
        booleanField("daemon", DAEMON_OFFSET);
        final int priority = priority();
        if (priority < Thread.MIN_PRIORITY || priority > Thread.MAX_PRIORITY)
        {
            throw malformed(
                "priority is " + priority + ", expected " + Thread.MIN_PRIORITY + ".." + Thread.MAX_PRIORITY);
        }
    }

    /** @return whether the thread is a daemon thread. */
    public boolean daemon()
    {
        return buffer.getByte(fieldOffset(DAEMON_OFFSET)) == 1;
    }

    /** @return whether the thread has its own uncaught-exception handler at the origin. */
    public boolean ownHandler()
    {
        return (flags() & FLAG_OWN_HANDLER) != 0;
    }

    /** @return the thread's priority. */
    public int priority()
    {
        return buffer.getInt(fieldOffset(PRIORITY_OFFSET), MessageHeader.BYTE_ORDER);
    }

    /** @return the thread's name; decoding UTF-8 allocates. */
    public String threadName()
    {
        return string(THREAD_NAME_FIELD);
    }

    /** @return length in bytes of the UTF-8 encoded threadName. */
    public int threadNameLength()
    {
        return varLength(THREAD_NAME_FIELD);
    }

    /** @return offset in {@link #buffer()} of {@code snapshot}, to read it in place. */
    public int snapshotOffset()
    {
        return varOffset(SNAPSHOT_FIELD);
    }

    /** @return length in bytes of snapshot. */
    public int snapshotLength()
    {
        return varLength(SNAPSHOT_FIELD);
    }

    /** @return a copy of snapshot. */
    public byte[] snapshot()
    {
        return copyBytes(SNAPSHOT_FIELD);
    }

    /**
     * Copies snapshot out.
     *
     * @param dst       to copy into.
     * @param dstOffset at which to put the first byte.
     */
    public void getSnapshot(final MutableDirectBuffer dst, final int dstOffset)
    {
        copyBytes(SNAPSHOT_FIELD, dst, dstOffset);
    }

    /** @return offset of the payload ({@code snapshot}) in {@link #buffer()}. */
    public int payloadOffset()
    {
        return varOffset(SNAPSHOT_FIELD);
    }

    /** @return length of the payload ({@code snapshot}). */
    public int payloadLength()
    {
        return varLength(SNAPSHOT_FIELD);
    }
}
