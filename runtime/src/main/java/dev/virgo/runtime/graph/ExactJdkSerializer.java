package dev.virgo.runtime.graph;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Output;

/**
 * Writes only the exact JDK class it is registered for: a subclass may hold state of its own that the value it
 * writes does not carry, so one is refused, naming its class.
 *
 * @param <T> the JDK class.
 */
abstract class ExactJdkSerializer<T> extends Serializer<T>
{
    @Override
    public final void write(final Kryo kryo, final Output output, final T object)
    {
        if (object.getClass().getClassLoader() != null)
        {
            throw new RefusedObjectException(object.getClass(), "a subclass of a java.util.concurrent class may " +
                "hold state of its own that cannot be shared with the origin");
        }
        writeValue(kryo, output, object);
    }

    abstract void writeValue(Kryo kryo, Output output, T object);
}
