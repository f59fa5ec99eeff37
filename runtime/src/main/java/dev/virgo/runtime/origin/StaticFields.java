package dev.virgo.runtime.origin;

import dev.virgo.runtime.classes.ApplicationClasses;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.Remapper;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the static fields a moved thread may read, so their values as of {@code start()} travel with it.
 *
 * <p>The candidates are the application classes reachable from the thread's own classes through their constant
 * pools (every class a method could name), transitively. Of those, only classes already initialized here are
 * copied: one that is not yet initialized is initialized on the node the way it would have been here.
 * Enums and interfaces are left to initialize on the node, since their statics are constants. The closure is
 * computed once per root class.
 */
final class StaticFields
{
    /** The statics of one class, in a fixed field order; values travel as one {@code Object[]} per class. */
    static final class ClassStatics
    {
        final Class<?> type;
        final Field[] fields;

        ClassStatics(final Class<?> type, final Field[] fields)
        {
            this.type = type;
            this.fields = fields;
        }

        Object[] read()
        {
            final Object[] values = new Object[fields.length];
            for (int i = 0; i < fields.length; i++)
            {
                try
                {
                    values[i] = fields[i].get(null);
                }
                catch (final IllegalAccessException ex)
                {
                    throw new IllegalStateException("cannot read " + fields[i], ex);
                }
            }
            return values;
        }

        /** Writes back the values the thread changed: those whose element is no longer the one read at start. */
        void writeChanged(final Object[] before, final Object[] after)
        {
            for (int i = 0; i < fields.length; i++)
            {
                if (before[i] != after[i] && !Modifier.isFinal(fields[i].getModifiers()))
                {
                    try
                    {
                        fields[i].set(null, after[i]);
                    }
                    catch (final IllegalAccessException ex)
                    {
                        throw new IllegalStateException("cannot write " + fields[i], ex);
                    }
                }
            }
        }

        String[] fieldNames()
        {
            final String[] names = new String[fields.length];
            for (int i = 0; i < fields.length; i++)
            {
                names[i] = fields[i].getName();
            }
            return names;
        }
    }

    private static final MethodHandle SHOULD_BE_INITIALIZED = shouldBeInitializedHandle();

    private final ClassValue<List<Class<?>>> closure = new ClassValue<>()
    {
        @Override
        protected List<Class<?>> computeValue(final Class<?> root)
        {
            return reachableApplicationClasses(root);
        }
    };
    private final ClassValue<ClassStatics> staticsOf = new ClassValue<>()
    {
        @Override
        protected ClassStatics computeValue(final Class<?> type)
        {
            final List<Field> fields = new ArrayList<>();
            for (final Field field : type.getDeclaredFields())
            {
                if (Modifier.isStatic(field.getModifiers()) && !field.isSynthetic())
                {
                    field.setAccessible(true);
                    fields.add(field);
                }
            }
            return new ClassStatics(type, fields.toArray(new Field[0]));
        }
    };

    /** @return the current values of a class's statics, in the order of {@link ClassStatics#fields}. */
    Object[] valuesOf(final Class<?> type)
    {
        return staticsOf.get(type).read();
    }

    /** @return the statics to copy for a thread whose own classes are {@code roots}. */
    List<ClassStatics> forRoots(final List<Class<?>> roots)
    {
        final Set<Class<?>> seen = new HashSet<>();
        final List<ClassStatics> result = new ArrayList<>();
        for (final Class<?> root : roots)
        {
            for (final Class<?> type : closure.get(root))
            {
                if (seen.add(type) && isInitialized(type))
                {
                    final ClassStatics statics = staticsOf.get(type);
                    if (statics.fields.length > 0)
                    {
                        result.add(statics);
                    }
                }
            }
        }
        return result;
    }

    private static List<Class<?>> reachableApplicationClasses(final Class<?> root)
    {
        final ClassLoader loader = root.getClassLoader();
        final List<Class<?>> found = new ArrayList<>();
        final Set<String> visited = new HashSet<>();
        final Deque<String> pending = new ArrayDeque<>();
        // A lambda's hidden class has no class file: its statics are its capturing class's.
        final int lambda = root.getName().indexOf("$$Lambda");
        final String start = lambda > 0 ? root.getName().substring(0, lambda) : root.getName();
        pending.add(start.replace('.', '/'));
        while (!pending.isEmpty())
        {
            final String internalName = pending.poll();
            if (!visited.add(internalName))
            {
                continue;
            }
            final String className = internalName.replace('/', '.');
            if (ApplicationClasses.isVirgoOrJdkClassName(className) || className.contains("$$Lambda"))
            {
                continue;
            }
            final Class<?> type;
            try
            {
                type = Class.forName(className, false, loader);
            }
            catch (final ClassNotFoundException | LinkageError ex)
            {
                continue;
            }
            if (!ApplicationClasses.isApplicationClass(type))
            {
                continue;
            }
            if (!type.isInterface() && !type.isEnum() && !type.isArray())
            {
                found.add(type);
            }
            for (final String referenced : referencedClasses(loader, internalName))
            {
                if (!visited.contains(referenced))
                {
                    pending.add(referenced);
                }
            }
        }
        return found;
    }

    private static Set<String> referencedClasses(final ClassLoader loader, final String internalName)
    {
        final Set<String> names = new HashSet<>();
        try (InputStream in = loader.getResourceAsStream(internalName + ".class"))
        {
            if (null == in)
            {
                return names;
            }
            new ClassReader(in.readAllBytes()).accept(new ClassRemapper(null, new Remapper()
            {
                @Override
                public String map(final String name)
                {
                    String element = name;
                    while (element.startsWith("["))
                    {
                        element = element.substring(1);
                    }
                    if (element.startsWith("L") && element.endsWith(";"))
                    {
                        element = element.substring(1, element.length() - 1);
                    }
                    names.add(element);
                    return name;
                }
            }), ClassReader.SKIP_FRAMES);
        }
        catch (final IOException | RuntimeException ex)
        {
            // A class whose bytes cannot be read only narrows the closure; its statics stay per node.
        }
        return names;
    }

    private static boolean isInitialized(final Class<?> type)
    {
        try
        {
            return null == SHOULD_BE_INITIALIZED || !(boolean)SHOULD_BE_INITIALIZED.invoke(type);
        }
        catch (final Throwable ex)
        {
            return true;
        }
    }

    /** {@code jdk.internal.misc.Unsafe.shouldBeInitialized(Class)}: the agent exports jdk.internal.misc to Virgo. */
    private static MethodHandle shouldBeInitializedHandle()
    {
        try
        {
            final Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
            final Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
            return MethodHandles.lookup()
                .findVirtual(unsafeClass, "shouldBeInitialized", MethodType.methodType(boolean.class, Class.class))
                .bindTo(unsafe);
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            return null;
        }
    }
}
