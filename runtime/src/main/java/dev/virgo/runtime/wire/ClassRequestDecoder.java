package dev.virgo.runtime.wire;

import static dev.virgo.runtime.wire.ClassRequestEncoder.*;

/**
 * Decodes a CLASS_REQUEST message (node to origin, type code 5).
 * <p>
 * Asks the origin for the bytes of a class the node cannot find.
 * <p>
 * The layout is on {@link ClassRequestEncoder}.
 */
public final class ClassRequestDecoder extends MessageDecoder<ClassRequestDecoder>
{
    public ClassRequestDecoder()
    {
        super(MessageType.CLASS_REQUEST);
    }

    protected ClassRequestDecoder self()
    {
        return this;
    }

    /** @return echoed in the CLASS_REPLY. */
    public long correlationId()
    {
        return buffer.getLong(fieldOffset(CORRELATION_ID_OFFSET), MessageHeader.BYTE_ORDER);
    }

    /** @return binary name of the class, e.g. com.acme.Foo$Bar; decoding UTF-8 allocates. */
    public String className()
    {
        return string(CLASS_NAME_FIELD);
    }

    /** @return length in bytes of the UTF-8 encoded className. */
    public int classNameLength()
    {
        return varLength(CLASS_NAME_FIELD);
    }
}
