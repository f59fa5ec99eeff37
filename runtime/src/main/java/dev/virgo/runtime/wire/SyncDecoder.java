package dev.virgo.runtime.wire;

import static dev.virgo.runtime.wire.SyncEncoder.*;

/** Decodes a SYNC message; see {@link SyncEncoder} for the layout. */
public final class SyncDecoder extends MessageDecoder<SyncDecoder>
{
    public SyncDecoder()
    {
        super(MessageType.SYNC);
    }

    protected SyncDecoder self()
    {
        return this;
    }

    protected void validateFields()
    {
        final byte op = op();
        if (op < OP_ENTER || op > LAST_OP)
        {
            throw malformed("op is " + op + ", expected " + OP_ENTER + " to " + LAST_OP);
        }
        if (shadow() < 0)
        {
            throw malformed("shadow is " + shadow());
        }
        if (objectId() < -1)
        {
            throw malformed("objectId is " + objectId());
        }
        if (timeoutMs() < 0)
        {
            throw malformed("timeoutMs is " + timeoutMs());
        }
    }

    /** @return echoed by the reply. */
    public long correlationId()
    {
        return buffer.getLong(fieldOffset(CORRELATION_ID_OFFSET), MessageHeader.BYTE_ORDER);
    }

    /** @return 0 for the moved thread, else the number of a thread it started on the node. */
    public int shadow()
    {
        return buffer.getInt(fieldOffset(SHADOW_OFFSET), MessageHeader.BYTE_ORDER);
    }

    /** @return one of SyncEncoder's OP_ constants. */
    public byte op()
    {
        return buffer.getByte(fieldOffset(OP_OFFSET));
    }

    /** @return the object's index in the shared table, -1 for a class. */
    public int objectId()
    {
        return buffer.getInt(fieldOffset(OBJECT_ID_OFFSET), MessageHeader.BYTE_ORDER);
    }

    /** @return of a wait, 0 for none; for OP_INTERRUPT the correlationId of the wait. */
    public long timeoutMs()
    {
        return buffer.getLong(fieldOffset(TIMEOUT_OFFSET), MessageHeader.BYTE_ORDER);
    }

    /** @return the class monitor or the class declaring the volatile field; empty for none. */
    public String className()
    {
        return string(CLASS_NAME_FIELD);
    }

    /** @return the volatile field; empty for none. */
    public String fieldName()
    {
        return string(FIELD_NAME_FIELD);
    }

    /** @return a copy of the released state; empty for none. */
    public byte[] state()
    {
        return copyBytes(STATE_FIELD);
    }
}
