package dev.virgo.runtime.origin;

import dev.virgo.runtime.classes.ApplicationClasses;
import dev.virgo.runtime.classes.CodeScan;
import dev.virgo.runtime.graph.Snapshot;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;

/**
 * Finds why a chosen thread must stay here: it synchronizes with other threads while it runs, or it uses statics
 * that cannot travel. A moved thread works on copies of its objects until {@code join()}, so until moved threads can
 * share objects while they run, such a thread would compute a different answer or hang; it runs locally (one
 * warning), or {@code start()} fails with {@code fallback=fail}. What counts:
 * <ul>
 *     <li>code the thread can run that synchronizes: a {@code synchronized} method or block, {@code wait}/{@code
 *     notify}, {@code LockSupport}, {@code VarHandle} atomics, a {@code volatile} static (see {@link CodeScan});</li>
 *     <li>an object of an application class in its graph with a {@code volatile} instance field (the stop flag a
 *     master clears), or whose class synchronizes in any of its methods (other threads call them on the original
 *     while the thread runs, and the JDK may call them on the thread's behalf);</li>
 *     <li>atomics, locks, barriers, latches, blocking queues and the like in its graph or statics: refused by the
 *     graph codec itself;</li>
 *     <li>statics that cannot travel, of a class whose statics the thread's code uses: see {@link StaticFields}.</li>
 * </ul>
 * The JDK's and Virgo's own classes are not inspected ({@code dev.virgo.api.heap} objects are shared by design). Every
 * decision about a class is cached, so a later start of the same class pays {@link ClassValue} lookups.
 */
final class SharedStateCheck
{
    private static final String CANNOT_SYNCHRONIZE =
        "; moved threads share monitors, wait/notify and volatiles with this JVM's threads, but not this yet";

    /** The code a thread can run, as far as the scan follows it. */
    static final class ThreadCode
    {
        /** Why the thread must stay, or null. */
        final String refusal;
        private final CodeScan.Findings root;
        private final CodeScan.Findings target;

        ThreadCode(final String refusal, final CodeScan.Findings root, final CodeScan.Findings target)
        {
            this.refusal = refusal;
            this.root = root;
            this.target = target;
        }

        boolean usesStaticsOf(final Class<?> type)
        {
            return root.usesStaticsOf(type) || null != target && target.usesStaticsOf(type);
        }
    }

    /** What the origin knows about the objects of one class found in a graph. */
    private static final class ObjectClass
    {
        static final ObjectClass IGNORED = new ObjectClass(false, null, null);

        final boolean lambda;
        final String refusal;
        final CodeScan.Findings code;

        ObjectClass(final boolean lambda, final String refusal, final CodeScan.Findings code)
        {
            this.lambda = lambda;
            this.refusal = refusal;
            this.code = code;
        }
    }

    private final CodeScan scan = new CodeScan(true);
    private final ClassValue<ObjectClass> objectsOf = new ClassValue<>()
    {
        @Override
        protected ObjectClass computeValue(final Class<?> type)
        {
            return objectClass(type);
        }
    };

    /**
     * @param root   the object whose {@code run()} moves.
     * @param target when the root is a {@code Thread}, the {@code Runnable} it was given (its {@code run()} runs
     *               through {@code Thread.run}, JDK code the scan does not follow), else null.
     */
    ThreadCode ofCode(final Object root, final Runnable target)
    {
        final CodeScan.Findings rootCode = scan.reachableFrom(root);
        final boolean ownTarget = null != target && ApplicationClasses.isApplicationClass(target.getClass());
        final CodeScan.Findings targetCode = ownTarget ? scan.reachableFrom(target) : null;
        String site = rootCode.synchronizationSite();
        if (null == site && null != targetCode)
        {
            site = targetCode.synchronizationSite();
        }
        return new ThreadCode(null == site ? null : site + CANNOT_SYNCHRONIZE, rootCode, targetCode);
    }

    /**
     * @param leftOut the classes whose statics stay here because one cannot be copied, with that static's reason:
     *                the thread's own code does not use them, but a method of an object in its graph may.
     * @return why an object of the snapshot's graph ties the thread to this JVM, or null.
     */
    String ofGraph(final Snapshot snapshot, final Map<Class<?>, String> leftOut)
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
            final ObjectClass objects = objectsOf.get(type);
            if (null != objects.refusal)
            {
                return objects.refusal;
            }
            final CodeScan.Findings code = objects.lambda ? scan.reachableFrom(object) : objects.code;
            if (null == code)
            {
                continue;
            }
            if (objects.lambda && null != code.synchronizationSite())
            {
                return "the graph holds a lambda whose code synchronizes: " + code.synchronizationSite() +
                    CANNOT_SYNCHRONIZE;
            }
            for (final Map.Entry<Class<?>, String> uncopyable : leftOut.entrySet())
            {
                if (code.usesStaticsOf(uncopyable.getKey()))
                {
                    return "the graph holds a " + type.getName() + ", whose code uses the statics of " +
                        uncopyable.getKey().getName() + ", and " + uncopyable.getValue();
                }
            }
        }
        return null;
    }

    private ObjectClass objectClass(final Class<?> type)
    {
        if (type.isArray() || !ApplicationClasses.isApplicationClass(type))
        {
            return ObjectClass.IGNORED;
        }
        if (CodeScan.isLambda(type))
        {
            return new ObjectClass(true, null, null); // its code is known from an instance only
        }
        final CodeScan.Findings code = scan.declaredIn(type);
        final String site = code.synchronizationSite();
        return new ObjectClass(false,
            null == site ? null : "the graph holds a " + type.getName() + ", and " + site + CANNOT_SYNCHRONIZE, code);
    }
}
