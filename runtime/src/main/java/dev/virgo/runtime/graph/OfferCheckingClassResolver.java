package dev.virgo.runtime.graph;

import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultClassResolver;

/**
 * Kryo's class resolver, bound to a moved thread's {@link ClassOffer} while the origin encodes for that thread or
 * decodes what its node sent: every class the origin writes by name is recorded as offered, and every class a read
 * names is checked against the offer before Kryo makes anything of it. Classes registered by id (primitives, String,
 * Virgo's closures) are Virgo's own choice and need no check. Unbound (the node's side, which trusts the origin), it
 * is Kryo's resolver.
 * <p>
 * The check comes after the name is resolved to a class, which loads the class without initializing it
 * ({@code Class.forName(name, false, loader)}): no code of the class runs, and no instance is made.
 */
final class OfferCheckingClassResolver extends DefaultClassResolver
{
    private ClassOffer offer;

    /** @param offer the thread's offer, or null for none (the node's side). */
    void bind(final ClassOffer offer)
    {
        this.offer = offer;
    }

    @Override
    protected void writeName(final Output output, final Class type, final Registration registration)
    {
        if (null != offer)
        {
            offer.wrote(type);
        }
        super.writeName(output, type, registration);
    }

    @Override
    protected Registration readName(final Input input)
    {
        final Registration registration = super.readName(input);
        if (null != offer)
        {
            final Class<?> type = registration.getType();
            final String refusal = offer.refusal(type);
            if (null != refusal)
            {
                throw new UnofferedClassException(type.getName(), offer.description(), refusal);
            }
        }
        return registration;
    }
}
