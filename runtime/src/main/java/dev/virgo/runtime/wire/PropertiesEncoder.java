package dev.virgo.runtime.wire;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Encodes a PROPERTIES message (origin to node, type code 15).
 * <p>
 * The origin's system properties that a moved thread sees, sent before the START that first needs them.
 * <pre>
 * offset  field                    type
 *      0  header                   see MessageHeader (24 bytes)
 *     24  version                  int64
 *     32  properties               int32 length + entries
 *
 * entries := entry*   (filling the field exactly)
 * entry   := int32 keyLength, key UTF-8 bytes, int32 valueLength, value UTF-8 bytes
 * </pre>
 * {@code version} grows by one each time the origin's properties change; it is for logs, the node keeps the last
 * PROPERTIES it received.
 */
public final class PropertiesEncoder extends MessageEncoder<PropertiesEncoder>
{
    static final int VERSION_OFFSET = 0;

    static final int PROPERTIES_FIELD = 0;

    public PropertiesEncoder()
    {
        super(MessageType.PROPERTIES);
    }

    protected PropertiesEncoder self()
    {
        return this;
    }

    /** @param version of the origin's properties, growing with each change. @return this. */
    public PropertiesEncoder version(final long version)
    {
        buffer.putLong(fieldOffset(VERSION_OFFSET), version, MessageHeader.BYTE_ORDER);
        return this;
    }

    /**
     * @param properties keys and values, written in the map's order; neither may be null.
     * @return this.
     */
    public PropertiesEncoder properties(final Map<String, String> properties)
    {
        final byte[][] utf8 = new byte[properties.size() * 2][];
        int length = 0;
        int i = 0;
        for (final Map.Entry<String, String> entry : properties.entrySet())
        {
            utf8[i] = entry.getKey().getBytes(StandardCharsets.UTF_8);
            utf8[i + 1] = entry.getValue().getBytes(StandardCharsets.UTF_8);
            length += 2 * MessageHeader.VAR_LENGTH_PREFIX + utf8[i].length + utf8[i + 1].length;
            i += 2;
        }
        int at = reserveBytes(PROPERTIES_FIELD, length);
        for (final byte[] bytes : utf8)
        {
            buffer.putInt(at, bytes.length, MessageHeader.BYTE_ORDER);
            buffer.putBytes(at + MessageHeader.VAR_LENGTH_PREFIX, bytes);
            at += MessageHeader.VAR_LENGTH_PREFIX + bytes.length;
        }
        return this;
    }
}
