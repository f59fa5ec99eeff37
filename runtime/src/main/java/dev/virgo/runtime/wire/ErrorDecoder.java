package dev.virgo.runtime.wire;

import static dev.virgo.runtime.wire.ErrorEncoder.*;

/**
 * Decodes a ERROR message (either way, type code 13).
 * <p>
 * The reply to a malformed or refused message.
 * <p>
 * The layout is on {@link ErrorEncoder}.
 */
public final class ErrorDecoder extends MessageDecoder<ErrorDecoder>
{
    public ErrorDecoder()
    {
        super(MessageType.ERROR);
    }

    protected ErrorDecoder self()
    {
        return this;
    }

    /** @return one of ErrorCodes. */
    public int code()
    {
        return buffer.getInt(fieldOffset(CODE_OFFSET), MessageHeader.BYTE_ORDER);
    }

    /** @return what was wrong, for humans; decoding UTF-8 allocates. */
    public String message()
    {
        return string(MESSAGE_FIELD);
    }

    /** @return length in bytes of the UTF-8 encoded message. */
    public int messageLength()
    {
        return varLength(MESSAGE_FIELD);
    }
}
