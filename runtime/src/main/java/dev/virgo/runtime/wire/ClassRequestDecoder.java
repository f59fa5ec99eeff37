package dev.virgo.runtime.wire;

import static dev.virgo.runtime.wire.ClassRequestEncoder.*;

/**
 * Decodes a CLASS_REQUEST message (node to origin, type code 5).
 * <p>
 * Asks the origin for the bytes of a class the node cannot find, as one of the origin's class loaders defines it.
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

    /**
     * @return the origin's number for the class loader to ask. Not range-checked here: an id the origin does not
     * know (or no longer knows) is answered with a refusal, not dropped as malformed.
     */
    public int loaderId()
    {
        return buffer.getInt(fieldOffset(LOADER_ID_OFFSET), MessageHeader.BYTE_ORDER);
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
