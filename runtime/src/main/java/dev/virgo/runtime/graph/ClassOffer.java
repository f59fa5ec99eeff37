package dev.virgo.runtime.graph;

import dev.virgo.api.heap.SharedMemory;
import dev.virgo.runtime.classes.ApplicationClasses;
import dev.virgo.runtime.classes.OfferedClosure;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The classes the origin offered one moved thread, and so the only ones it instantiates from what that thread's node
 * sends back (its releases, final state, exceptions). A class is offered when:
 * <ol>
 *   <li>the origin wrote an object of it to the thread (its snapshot, or a later acquire or call outcome);</li>
 *   <li>it is an application class in the {@link OfferedClosure} of one of those: what the thread's code can name,
 *       which is also all the origin serves the node for it;</li>
 *   <li>it is a JDK value or container ({@link VettedJdkClasses}), or Virgo's own heap handle;</li>
 *   <li>it is an array of an offered class, or a primitive array.</li>
 * </ol>
 * Thread safe: written while the origin encodes for the thread, read while it decodes what the node sent.
 */
public final class ClassOffer
{
    private final Set<Class<?>> written = ConcurrentHashMap.newKeySet();
    /** Application classes found in a written class's closure: each decode asks again, the closures stay the same. */
    private final Set<Class<?>> inClosure = ConcurrentHashMap.newKeySet();
    private final List<Consumer<Class<?>>> listeners = new ArrayList<>();
    private volatile String description = "a moved thread";

    /** Names the thread and its node in refusals, e.g. {@code thread 'worker-1' (id 31) on node-2}. */
    public void describe(final String description)
    {
        this.description = description;
    }

    String description()
    {
        return description;
    }

    /** Records a class the origin wrote to the thread; tells the listeners when it is new. */
    void wrote(final Class<?> type)
    {
        if (written.add(type))
        {
            final Consumer<Class<?>>[] toTell;
            synchronized (listeners)
            {
                @SuppressWarnings("unchecked")
                final Consumer<Class<?>>[] copy = listeners.toArray(new Consumer[0]);
                toTell = copy;
            }
            for (final Consumer<Class<?>> listener : toTell)
            {
                listener.accept(type);
            }
        }
    }

    /**
     * Calls {@code listener} with every class written so far and every one written from now on: the origin's
     * connection to the thread's node widens what it serves that node with them.
     */
    public void forEachWritten(final Consumer<Class<?>> listener)
    {
        synchronized (listeners)
        {
            listeners.add(listener);
        }
        for (final Class<?> type : written.toArray(new Class<?>[0]))
        {
            listener.accept(type);
        }
    }

    /** @return true when the origin wrote an object of {@code type} to the thread. */
    public boolean wasWritten(final Class<?> type)
    {
        return written.contains(type);
    }

    /** @return null when the node may send an object of {@code type}, else why it may not. */
    public String refusal(final Class<?> type)
    {
        if (written.contains(type))
        {
            return null;
        }
        if (type.isArray())
        {
            final String element = refusal(type.getComponentType());
            return null == element ? null : "an array of a class that " + element;
        }
        if (GraphTypes.isJdk(type))
        {
            final String jdk = VettedJdkClasses.refusal(type);
            return null == jdk ? null : "is " + jdk + ", and the origin sent the thread none";
        }
        if (SharedMemory.class.isAssignableFrom(type) &&
            ApplicationClasses.isVirgoClassName(type.getName()))
        {
            return null; // a handle to the shared heap, read as a reference to it
        }
        if (inClosure.contains(type))
        {
            return null;
        }
        final String name = type.getName();
        for (final Class<?> offered : written)
        {
            if (OfferedClosure.of(offered).contains(name))
            {
                inClosure.add(type);
                return null;
            }
        }
        return "is not among the classes the origin sent the thread or that their code names";
    }
}
