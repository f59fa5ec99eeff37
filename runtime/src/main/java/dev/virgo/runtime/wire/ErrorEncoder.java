package dev.virgo.runtime.wire;

/**
 * Encodes a ERROR message (either way, type code 13).
 * <p>
 * The reply to a malformed or refused message.
 * <pre>
 * offset  field                    type
 *      0  header                   see MessageHeader (24 bytes)
 *     24  code                     int32
 *     28  message                  int32 length + UTF-8 bytes
 * </pre>
 */
public final class ErrorEncoder extends MessageEncoder<ErrorEncoder>
{
    static final int CODE_OFFSET = 0;

    static final int MESSAGE_FIELD = 0;

    public ErrorEncoder()
    {
        super(MessageType.ERROR);
    }

    protected ErrorEncoder self()
    {
        return this;
    }

    /** @param code one of ErrorCodes. @return this. */
    public ErrorEncoder code(final int code)
    {
        buffer.putInt(fieldOffset(CODE_OFFSET), code, MessageHeader.BYTE_ORDER);
        return this;
    }

    /**
     * @param message what was wrong, for humans; null is written as empty.
     * @return this.
     */
    public ErrorEncoder message(final String message)
    {
        putString(MESSAGE_FIELD, message);
        return this;
    }
}
