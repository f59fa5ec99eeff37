package dev.virgo.runtime.wire;

import static dev.virgo.runtime.wire.SyncReplyEncoder.*;

/** Decodes a SYNC_REPLY message; see {@link SyncReplyEncoder} for the layout. */
public final class SyncReplyDecoder extends MessageDecoder<SyncReplyDecoder>
{
    public SyncReplyDecoder()
    {
        super(MessageType.SYNC_REPLY);
    }

    protected SyncReplyDecoder self()
    {
        return this;
    }

    protected void validateFields()
    {
        final byte status = status();
        if (status < STATUS_DONE || status > LAST_STATUS)
        {
            throw malformed("status is " + status + ", expected " + STATUS_DONE + " to " + LAST_STATUS);
        }
    }

    /** @return of the SYNC answered. */
    public long correlationId()
    {
        return buffer.getLong(fieldOffset(CORRELATION_ID_OFFSET), MessageHeader.BYTE_ORDER);
    }

    /** @return one of SyncReplyEncoder's STATUS_ constants. */
    public byte status()
    {
        return buffer.getByte(fieldOffset(STATUS_OFFSET));
    }

    /** @return a copy of the state to acquire; empty for none. */
    public byte[] state()
    {
        return copyBytes(STATE_FIELD);
    }

    /** @return why it failed; empty unless it did. */
    public String message()
    {
        return string(MESSAGE_FIELD);
    }
}
