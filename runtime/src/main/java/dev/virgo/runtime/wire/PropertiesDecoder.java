package dev.virgo.runtime.wire;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.virgo.runtime.wire.PropertiesEncoder.*;

/**
 * Decodes a PROPERTIES message (origin to node, type code 15).
 * <p>
 * The origin's system properties that a moved thread sees, sent before the START that first needs them.
 * <p>
 * The layout is on {@link PropertiesEncoder}; {@link #wrap} checks every entry's lengths.
 */
public final class PropertiesDecoder extends MessageDecoder<PropertiesDecoder>
{
    private int count;

    public PropertiesDecoder()
    {
        super(MessageType.PROPERTIES);
    }

    protected PropertiesDecoder self()
    {
        return this;
    }

    protected void validateFields()
    {
        final int end = varOffset(PROPERTIES_FIELD) + varLength(PROPERTIES_FIELD);
        int at = varOffset(PROPERTIES_FIELD);
        int strings = 0;
        while (at < end)
        {
            final String what = (strings % 2 == 0 ? "key" : "value") + " of entry " + strings / 2;
            if (end - at < MessageHeader.VAR_LENGTH_PREFIX)
            {
                throw malformed("properties: " + what + " has a truncated length prefix");
            }
            final int length = buffer.getInt(at, MessageHeader.BYTE_ORDER);
            if (length < 0 || length > end - at - MessageHeader.VAR_LENGTH_PREFIX)
            {
                throw malformed("properties: " + what + " has length " + length + ", but " +
                    (end - at - MessageHeader.VAR_LENGTH_PREFIX) + " bytes remain");
            }
            at += MessageHeader.VAR_LENGTH_PREFIX + length;
            strings++;
        }
        if (strings % 2 != 0)
        {
            throw malformed("properties: entry " + strings / 2 + " has a key but no value");
        }
        count = strings / 2;
    }

    /** @return version of the origin's properties, growing with each change. */
    public long version()
    {
        return buffer.getLong(fieldOffset(VERSION_OFFSET), MessageHeader.BYTE_ORDER);
    }

    /** @return how many properties the message carries. */
    public int propertyCount()
    {
        return count;
    }

    /** @return the properties, in the order they were written; decoding UTF-8 allocates. */
    public Map<String, String> properties()
    {
        final Map<String, String> properties = new LinkedHashMap<>();
        int at = varOffset(PROPERTIES_FIELD);
        for (int i = 0; i < count; i++)
        {
            final int keyLength = buffer.getInt(at, MessageHeader.BYTE_ORDER);
            final String key = buffer.getStringWithoutLengthUtf8(at + MessageHeader.VAR_LENGTH_PREFIX, keyLength);
            at += MessageHeader.VAR_LENGTH_PREFIX + keyLength;
            final int valueLength = buffer.getInt(at, MessageHeader.BYTE_ORDER);
            properties.put(key, buffer.getStringWithoutLengthUtf8(at + MessageHeader.VAR_LENGTH_PREFIX, valueLength));
            at += MessageHeader.VAR_LENGTH_PREFIX + valueLength;
        }
        return properties;
    }
}
