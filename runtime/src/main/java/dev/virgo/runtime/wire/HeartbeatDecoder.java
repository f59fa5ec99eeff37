package dev.virgo.runtime.wire;

import static dev.virgo.runtime.wire.HeartbeatEncoder.*;

/**
 * Decodes a HEARTBEAT message (both ways, type code 11).
 * <p>
 * Liveness and load, sent periodically by both sides.
 * <p>
 * The layout is on {@link HeartbeatEncoder}.
 */
public final class HeartbeatDecoder extends MessageDecoder<HeartbeatDecoder>
{
    public HeartbeatDecoder()
    {
        super(MessageType.HEARTBEAT);
    }

    protected HeartbeatDecoder self()
    {
        return this;
    }

    protected void validateFields()
    {
        final int runningThreads = runningThreads();
        if (runningThreads < 0)
        {
            throw malformed(
                "runningThreads is " + runningThreads + ", expected >= 0");
        }
        final int availableProcessors = availableProcessors();
        if (availableProcessors < 0)
        {
            throw malformed(
                "availableProcessors is " + availableProcessors + ", expected >= 0");
        }
    }

    /** @return sender's clock when sent. */
    public long timestampNs()
    {
        return buffer.getLong(fieldOffset(TIMESTAMP_NS_OFFSET), MessageHeader.BYTE_ORDER);
    }

    /** @return moved threads running on the sender. */
    public int runningThreads()
    {
        return buffer.getInt(fieldOffset(RUNNING_THREADS_OFFSET), MessageHeader.BYTE_ORDER);
    }

    /** @return processors available to the sender. */
    public int availableProcessors()
    {
        return buffer.getInt(fieldOffset(AVAILABLE_PROCESSORS_OFFSET), MessageHeader.BYTE_ORDER);
    }

    /** @return free heap of the sender. */
    public long freeHeapBytes()
    {
        return buffer.getLong(fieldOffset(FREE_HEAP_BYTES_OFFSET), MessageHeader.BYTE_ORDER);
    }

    /** @return the sender's system load average, negative if unavailable. */
    public double systemLoadAverage()
    {
        return buffer.getDouble(fieldOffset(SYSTEM_LOAD_AVERAGE_OFFSET), MessageHeader.BYTE_ORDER);
    }
}
