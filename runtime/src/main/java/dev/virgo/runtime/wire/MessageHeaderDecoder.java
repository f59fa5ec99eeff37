package dev.virgo.runtime.wire;

import org.agrona.DirectBuffer;

import static dev.virgo.runtime.wire.MessageHeader.*;

/**
 * The entry point for an incoming message: reads and checks the common header, so that the receiver knows which
 * decoder to wrap the message with. Reusable; not thread-safe.
 * <pre>{@code
 * switch (header.wrap(buffer, offset, length).type())
 * {
 *     case START: start.wrap(buffer, offset, length); ...
 * }
 * }</pre>
 */
public final class MessageHeaderDecoder
{
    private DirectBuffer buffer;
    private int offset;
    private MessageType type;

    /**
     * Reads the header of a message.
     *
     * @param buffer holding the message.
     * @param offset at which it starts.
     * @param length of the whole message.
     * @return this.
     * @throws MalformedMessageException when shorter than the header, of an unknown type or of another version.
     */
    public MessageHeaderDecoder wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        checkBounds(null, buffer, offset, length);
        if (length < LENGTH)
        {
            throw new MalformedMessageException(
                "message: truncated, " + length + " bytes is shorter than the " + LENGTH + "-byte header");
        }

        final int code = buffer.getShort(offset + TYPE_OFFSET, BYTE_ORDER) & 0xFFFF;
        final MessageType type = MessageType.get(code);
        if (null == type)
        {
            throw new MalformedMessageException("message: unknown type code " + code + " (" + length + " bytes)");
        }

        final int version = buffer.getShort(offset + VERSION_OFFSET, BYTE_ORDER) & 0xFFFF;
        if (version != CURRENT_VERSION)
        {
            throw new MalformedMessageException(
                type + ": unsupported version " + version + " (expected " + CURRENT_VERSION + ")");
        }

        this.buffer = buffer;
        this.offset = offset;
        this.type = type;
        return this;
    }

    /** @return the type of the message last wrapped. */
    public MessageType type()
    {
        return type;
    }

    /** @return the flags of the message last wrapped. */
    public int flags()
    {
        return buffer.getInt(offset + FLAGS_OFFSET, BYTE_ORDER);
    }

    /** @return the origin id of the message last wrapped. */
    public long originId()
    {
        return buffer.getLong(offset + ORIGIN_ID_OFFSET, BYTE_ORDER);
    }

    /** @return the thread id of the message last wrapped. */
    public long threadId()
    {
        return buffer.getLong(offset + THREAD_ID_OFFSET, BYTE_ORDER);
    }

    static void checkBounds(final MessageType type, final DirectBuffer buffer, final int offset, final int length)
    {
        final String name = null == type ? "message" : type.name();
        if (null == buffer)
        {
            throw new MalformedMessageException(name + ": no buffer");
        }
        if (offset < 0 || length < 0 || (long)offset + length > buffer.capacity())
        {
            throw new MalformedMessageException(name + ": offset=" + offset + " length=" + length +
                " lies outside the buffer of capacity " + buffer.capacity());
        }
    }
}
