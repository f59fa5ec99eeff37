package dev.virgo.runtime.wire;

import org.agrona.DirectBuffer;

/**
 * Encodes a HEAP message (both ways, type code 14).
 * <p>
 * A shared-heap control message; the runtime routes it between the origin and a node without reading the payload.
 * <pre>
 * offset  field                    type
 *      0  header                   see MessageHeader (24 bytes)
 *     24  payload                  int32 length + bytes
 * </pre>
 */
public final class HeapEncoder extends MessageEncoder<HeapEncoder>
{
    static final int PAYLOAD_FIELD = 0;

    public HeapEncoder()
    {
        super(MessageType.HEAP);
    }

    protected HeapEncoder self()
    {
        return this;
    }

    /**
     * @param src       holding the payload.
     * @param srcOffset at which it starts.
     * @param length    in bytes.
     * @return this.
     */
    public HeapEncoder payload(final DirectBuffer src, final int srcOffset, final int length)
    {
        putBytes(PAYLOAD_FIELD, src, srcOffset, length);
        return this;
    }
}
