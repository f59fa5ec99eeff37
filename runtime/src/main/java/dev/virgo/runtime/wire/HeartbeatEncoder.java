package dev.virgo.runtime.wire;

/**
 * Encodes a HEARTBEAT message (both ways, type code 11).
 * <p>
 * Liveness and load, sent periodically by both sides.
 * <pre>
 * offset  field                    type
 *      0  header                   see MessageHeader (24 bytes)
 *     24  timestampNs              int64
 *     32  runningThreads           int32
 *     36  availableProcessors      int32
 *     40  freeHeapBytes            int64
 *     48  systemLoadAverage        double
 * </pre>
 */
public final class HeartbeatEncoder extends MessageEncoder<HeartbeatEncoder>
{
    static final int TIMESTAMP_NS_OFFSET = 0;
    static final int RUNNING_THREADS_OFFSET = 8;
    static final int AVAILABLE_PROCESSORS_OFFSET = 12;
    static final int FREE_HEAP_BYTES_OFFSET = 16;
    static final int SYSTEM_LOAD_AVERAGE_OFFSET = 24;

    public HeartbeatEncoder()
    {
        super(MessageType.HEARTBEAT);
    }

    protected HeartbeatEncoder self()
    {
        return this;
    }

    /** @param timestampNs sender's clock when sent. @return this. */
    public HeartbeatEncoder timestampNs(final long timestampNs)
    {
        buffer.putLong(fieldOffset(TIMESTAMP_NS_OFFSET), timestampNs, MessageHeader.BYTE_ORDER);
        return this;
    }

    /** @param runningThreads moved threads running on the sender. @return this. */
    public HeartbeatEncoder runningThreads(final int runningThreads)
    {
        buffer.putInt(fieldOffset(RUNNING_THREADS_OFFSET), runningThreads, MessageHeader.BYTE_ORDER);
        return this;
    }

    /** @param availableProcessors processors available to the sender. @return this. */
    public HeartbeatEncoder availableProcessors(final int availableProcessors)
    {
        buffer.putInt(fieldOffset(AVAILABLE_PROCESSORS_OFFSET), availableProcessors, MessageHeader.BYTE_ORDER);
        return this;
    }

    /** @param freeHeapBytes free heap of the sender. @return this. */
    public HeartbeatEncoder freeHeapBytes(final long freeHeapBytes)
    {
        buffer.putLong(fieldOffset(FREE_HEAP_BYTES_OFFSET), freeHeapBytes, MessageHeader.BYTE_ORDER);
        return this;
    }

    /** @param systemLoadAverage the sender's system load average, negative if unavailable. @return this. */
    public HeartbeatEncoder systemLoadAverage(final double systemLoadAverage)
    {
        buffer.putDouble(fieldOffset(SYSTEM_LOAD_AVERAGE_OFFSET), systemLoadAverage, MessageHeader.BYTE_ORDER);
        return this;
    }
}
