package dev.virgo.runtime.graph;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Registered as Kryo's default serializer for types that only make sense inside one JVM. Refusing at the first
 * such object is better than copying it: a copied socket or lock would silently do nothing on the node.
 */
final class RefusingSerializer extends Serializer<Object>
{
    private final String reason;

    RefusingSerializer(final String reason)
    {
        this.reason = reason;
    }

    @Override
    public void write(final Kryo kryo, final Output output, final Object object)
    {
        throw new RefusedObjectException(object.getClass(), reason);
    }

    @Override
    public Object read(final Kryo kryo, final Input input, final Class<?> type)
    {
        throw new RefusedObjectException(type, reason);
    }
}
