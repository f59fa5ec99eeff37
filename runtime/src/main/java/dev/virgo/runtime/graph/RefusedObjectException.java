package dev.virgo.runtime.graph;

import com.esotericsoftware.kryo.KryoException;

/**
 * Thrown from inside Kryo when the graph reaches an object that must not be copied. It extends
 * {@link KryoException} on purpose: Kryo's field serializers append the field path ("socket (com.acme.Worker)")
 * to a KryoException as it unwinds, which gives the user-facing message its field path for free.
 */
final class RefusedObjectException extends KryoException
{
    private final Class<?> refusedType;
    private final String reason;

    RefusedObjectException(final Class<?> refusedType, final String reason)
    {
        super(refusedType.getName() + ": " + reason);
        this.refusedType = refusedType;
        this.reason = reason;
    }

    Class<?> refusedType()
    {
        return refusedType;
    }

    String reason()
    {
        return reason;
    }
}
