package dev.virgo.runtime.origin;

import dev.virgo.runtime.classes.ApplicationClasses;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Opcodes;

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
 * <p>The candidates are the application classes reachable from the thread's own classes through the CONSTANT_Class
 * entries of their constant pools (every class a method could name), transitively. Of those, only classes already initialized here are
 * copied: one that is not yet initialized is initialized on the node the way it would have been here.
 * Enums and interfaces are left to initialize on the node, since their statics are constants, and so are
 * compile-time constants ({@code static final} fields with a {@code ConstantValue} attribute), which the JVM sets
 * on the node without running any initializer. The closure is computed once per root class.
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
    /** JVMS 4.4.1: the tag of a CONSTANT_Class_info entry. */
    private static final int CONSTANT_CLASS_TAG = 7;

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
            final Set<String> constants = constantFields(type);
            for (final Field field : type.getDeclaredFields())
            {
                if (Modifier.isStatic(field.getModifiers()) && !field.isSynthetic() &&
                    !constants.contains(field.getName()))
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

    /**
     * The classes this class's constant pool names (CONSTANT_Class entries): the owner of every field and method it
     * refers to, and every class it instantiates, casts to or loads as a constant. A static field can only be reached
     * through one of these.
     */
    private static Set<String> referencedClasses(final ClassLoader loader, final String internalName)
    {
        final Set<String> names = new HashSet<>();
        try (InputStream in = loader.getResourceAsStream(internalName + ".class"))
        {
            if (null == in)
            {
                return names;
            }
            final ClassReader reader = new ClassReader(in.readAllBytes());
            final char[] buffer = new char[reader.getMaxStringLength()];
            for (int i = 1; i < reader.getItemCount(); i++)
            {
                final int offset = reader.getItem(i);
                if (offset > 0 && reader.readByte(offset - 1) == CONSTANT_CLASS_TAG)
                {
                    String name = reader.readUTF8(offset, buffer);
                    while (name.startsWith("["))
                    {
                        name = name.substring(1);
                    }
                    if (name.startsWith("L") && name.endsWith(";"))
                    {
                        name = name.substring(1, name.length() - 1);
                    }
                    names.add(name);
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // A class whose bytes cannot be read only narrows the closure; its statics stay per node.
        }
        return names;
    }

    /** Names of the fields with a ConstantValue attribute, read from the class file. */
    private static Set<String> constantFields(final Class<?> type)
    {
        final Set<String> names = new HashSet<>();
        final ClassLoader loader = type.getClassLoader();
        try (InputStream in = null == loader ? null :
            loader.getResourceAsStream(type.getName().replace('.', '/') + ".class"))
        {
            if (null != in)
            {
                new ClassReader(in.readAllBytes()).accept(new ClassVisitor(Opcodes.ASM9)
                {
                    @Override
                    public FieldVisitor visitField(
                        final int access, final String name, final String descriptor, final String signature,
                        final Object value)
                    {
                        if (null != value && (access & Opcodes.ACC_STATIC) != 0)
                        {
                            names.add(name);
                        }
                        return null;
                    }
                }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // Without the class file, every static is copied: correct, only larger.
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
