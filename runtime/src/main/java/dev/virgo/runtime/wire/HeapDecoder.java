package dev.virgo.runtime.wire;

/**
 * Decodes a HEAP message (both ways, type code 14). The layout is on {@link HeapEncoder}.
 */
public final class HeapDecoder extends MessageDecoder<HeapDecoder>
{
    public HeapDecoder()
    {
        super(MessageType.HEAP);
    }

    protected HeapDecoder self()
    {
        return this;
    }

    /** @return offset in {@link #buffer()} of the payload, to read it in place. */
    public int payloadOffset()
    {
        return varOffset(HeapEncoder.PAYLOAD_FIELD);
    }

    /** @return length in bytes of the payload. */
    public int payloadLength()
    {
        return varLength(HeapEncoder.PAYLOAD_FIELD);
    }
}
