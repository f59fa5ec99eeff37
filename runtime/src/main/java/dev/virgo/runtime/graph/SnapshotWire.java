package dev.virgo.runtime.graph;

import java.util.Collection;
import java.util.Map;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * The content part of a collection or map written from one snapshot ({@link PlainCollectionSerializers},
 * {@link ConcurrentCollectionSerializers}): {@code size:varint element:classAndObject...} for a collection,
 * {@code size:varint (key:classAndObject value:classAndObject)...} for a map. A size read from the wire is checked
 * against the bytes left before anything is allocated for it.
 */
final class SnapshotWire
{
    private SnapshotWire()
    {
    }

    static void writeElements(final Kryo kryo, final Output output, final Object[] elements)
    {
        output.writeVarInt(elements.length, true);
        for (final Object element : elements)
        {
            kryo.writeClassAndObject(output, element);
        }
    }

    /** @param keysAndValues each key followed by its value. */
    static void writeEntries(final Kryo kryo, final Output output, final Object[] keysAndValues)
    {
        output.writeVarInt(keysAndValues.length / 2, true);
        for (final Object keyOrValue : keysAndValues)
        {
            kryo.writeClassAndObject(output, keyOrValue);
        }
    }

    /** @return the size that follows, checked: each element (or key and value) takes at least one byte each. */
    static int readSize(final Input input, final int objectsPerElement)
    {
        final int size = input.readVarInt(true);
        if (size < 0 || (long)size * objectsPerElement > input.limit() - input.position())
        {
            throw new KryoException("a collection of " + size + " elements does not fit in the " +
                (input.limit() - input.position()) + " bytes left");
        }
        return size;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static void readElements(final Kryo kryo, final Input input, final Collection collection, final int size)
    {
        for (int i = 0; i < size; i++)
        {
            collection.add(kryo.readClassAndObject(input));
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static void readEntries(final Kryo kryo, final Input input, final Map map)
    {
        final int size = readSize(input, 2);
        for (int i = 0; i < size; i++)
        {
            final Object key = kryo.readClassAndObject(input);
            map.put(key, kryo.readClassAndObject(input));
        }
    }
}
