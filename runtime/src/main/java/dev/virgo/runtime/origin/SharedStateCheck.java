package dev.virgo.runtime.origin;

import dev.virgo.runtime.classes.ApplicationClasses;
import dev.virgo.runtime.classes.SynchronizationScan;
import dev.virgo.runtime.graph.Snapshot;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * Finds why a chosen thread must stay here: it synchronizes with other threads while it runs. A moved thread works
 * on copies of its objects until {@code join()}, so until moved threads can share objects while they run, such a
 * thread would compute a different answer or hang; it runs locally (one warning), or {@code start()} fails with
 * {@code fallback=fail}. What counts:
 * <ul>
 *     <li>code the thread can run that synchronizes: a {@code synchronized} method or block, {@code wait}/{@code
 *     notify}, {@code LockSupport}, {@code VarHandle} atomics, a {@code volatile} static (see
 *     {@link SynchronizationScan});</li>
 *     <li>an object of an application class in its graph with a {@code volatile} instance field (the stop flag a
 *     master clears), or whose class synchronizes in any of its methods (other threads call them on the original
 *     while the thread runs, and the JDK may call them on the thread's behalf);</li>
 *     <li>atomics, locks, barriers, latches, blocking queues and the like in its graph or statics: refused by the
 *     graph codec itself;</li>
 *     <li>statics that cannot travel: see {@link StaticFields}.</li>
 * </ul>
 * The JDK's and Virgo's own classes are not inspected ({@code dev.virgo.api.heap} objects are shared by design). Every
 * decision about a class is cached, so a later start of the same class pays {@link ClassValue} lookups.
 */
final class SharedStateCheck
{
    private static final String CANNOT_SYNCHRONIZE =
        "; a moved thread works on copies, so it could not synchronize with this JVM's threads while it runs";
    private static final String NOTHING = "";
    /** Compared by identity: an object of this class is a lambda, decided from its implementation method. */
    private static final String LAMBDA = new String("lambda");

    private final SynchronizationScan scan = new SynchronizationScan();
    private final ClassValue<String> objectsOf = new ClassValue<>()
    {
        @Override
        protected String computeValue(final Class<?> type)
        {
            final String reason = reasonForObjectsOf(type);
            return null == reason ? NOTHING : reason;
        }
    };

    /**
     * @param root   the object whose {@code run()} moves.
     * @param target when the root is a {@code Thread}, the {@code Runnable} it was given (its {@code run()} runs
     *               through {@code Thread.run}, JDK code the scan does not follow), else null.
     * @return why the code the thread can run synchronizes, or null.
     */
    String ofCode(final Object root, final Runnable target)
    {
        String site = scan.reachableFrom(root);
        if (null == site && null != target && ApplicationClasses.isApplicationClass(target.getClass()))
        {
            site = scan.reachableFrom(target);
        }
        return null == site ? null : site + CANNOT_SYNCHRONIZE;
    }

    /** @return why an object of the snapshot's graph is state shared with running threads, or null. */
    String ofGraph(final Snapshot snapshot)
    {
        Class<?> previous = null;
        for (int i = 0, count = snapshot.objectCount(); i < count; i++)
        {
            final Object object = snapshot.object(i);
            final Class<?> type = object.getClass();
            if (type == previous)
            {
                continue;
            }
            previous = type;
            final String reason = objectsOf.get(type);
            if (LAMBDA == reason)
            {
                final String site = scan.reachableFrom(object);
                if (null != site)
                {
                    return "the graph holds a lambda whose code synchronizes: " + site + CANNOT_SYNCHRONIZE;
                }
            }
            else if (!reason.isEmpty())
            {
                return reason;
            }
        }
        return null;
    }

    private String reasonForObjectsOf(final Class<?> type)
    {
        if (type.isArray() || !ApplicationClasses.isApplicationClass(type))
        {
            return null;
        }
        if (SynchronizationScan.isLambda(type))
        {
            return LAMBDA; // its code is known from an instance only
        }
        for (Class<?> c = type; null != c && ApplicationClasses.isApplicationClass(c); c = c.getSuperclass())
        {
            for (final Field field : c.getDeclaredFields())
            {
                final int modifiers = field.getModifiers();
                if (Modifier.isVolatile(modifiers) && !Modifier.isStatic(modifiers))
                {
                    return c.getName() + "." + field.getName() + " is volatile: other threads read or write it while " +
                        "this thread runs, and a copy would never see their writes";
                }
            }
        }
        final String site = scan.declaredIn(type);
        return null == site ? null : "the graph holds a " + type.getName() + ", and " + site + CANNOT_SYNCHRONIZE;
    }
}
