package dev.virgo.runtime.origin;

import dev.virgo.runtime.classes.OfferedClosure;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The class files the origin serves one node: the {@link OfferedClosure} of every class of the graphs it moved
 * there (root classes, the classes of their objects and of later exchanges, the classes whose statics travelled).
 * Anything else the node asks for is refused, saying why, so that a node holding the cluster secret cannot read the
 * rest of the program's class path.
 * <p>
 * Bounded by the application's classes: one entry per offered class, whose closure is computed once per class and
 * shared by every node ({@link OfferedClosure}). Thread safe: widened by the threads that move threads and by the
 * shadows' acquires, read by the conductor.
 */
final class ServedClasses
{
    private final Set<Class<?>> offered = ConcurrentHashMap.newKeySet();

    /**
     * Serves the node {@code type}'s closure from now on. Its closure is computed at the node's first request, on
     * the conductor, not here on the thread calling start().
     */
    void offer(final Class<?> type)
    {
        offered.add(type);
    }

    /**
     * @param loader    the loader the request names.
     * @param className a binary class name.
     * @return null when the class is offered to the node from {@code loader}, else why it is not.
     */
    String refusal(final ClassLoader loader, final String className)
    {
        final boolean packageInfo = className.endsWith(".package-info");
        final String packagePrefix = className.substring(0, className.lastIndexOf('.') + 1);
        for (final Class<?> type : offered)
        {
            if (type.getClassLoader() != loader)
            {
                continue;
            }
            final Set<String> closure = OfferedClosure.of(type);
            if (closure.contains(className))
            {
                return null;
            }
            if (packageInfo) // a package's annotations, read when an offered class of the package asks for them
            {
                for (final String name : closure)
                {
                    if (name.startsWith(packagePrefix) && name.indexOf('.', packagePrefix.length()) < 0)
                    {
                        return null;
                    }
                }
            }
        }
        return className + " is not among the classes offered to this node: those of the threads moved to it, " +
            "of the objects in their graphs, and the classes their code names (" + offered.size() + " offered)";
    }
}
