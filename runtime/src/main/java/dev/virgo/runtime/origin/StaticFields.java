package dev.virgo.runtime.origin;

import dev.virgo.runtime.classes.ApplicationClasses;
import dev.virgo.runtime.classes.ClassFiles;
import dev.virgo.runtime.log.VirgoLog;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Opcodes;

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
import java.util.function.Predicate;

/**
 * Finds the static fields a moved thread may read, so their values as of {@code start()} travel with it.
 *
 * <p>The candidates are the application classes reachable from the thread's own classes through what their
 * declarations and code name (every class a method could name; {@link ClassFiles#classesNamedByCode}), transitively:
 * a class named only as the outer class of a nested one is not among them, since naming it there runs nothing. Of
 * those, classes already initialized here are copied, and so are those whose statics the thread's code uses, initialized here at
 * {@code start()} for it: moved threads share statics with the program while they run, so a class the thread counts
 * into must be the program's, not a fresh one per node. Any other class is initialized on the node the way it would
 * have been here. Enums and interfaces are left to initialize on the node, since their statics are constants, and so are
 * compile-time constants ({@code static final} fields with a {@code ConstantValue} attribute), which the JVM sets on
 * the node without running any initializer. The compiler's own statics ({@code $assertionsDisabled}, switch maps)
 * travel with the program's statics of their class, and only then. The closure is computed once per root class.
 *
 * <p>A class's statics travel together: on the node its static initializer is replaced by one that installs them
 * all. So a static that cannot travel cannot simply be left out, and the origin's rule is:
 * <ul>
 *     <li>a class whose statics are all loggers ({@code static final}, not volatile, each holding a logger of
 *     java.util.logging, {@code System.Logger}, SLF4J, Log4j, commons-logging, JBoss Logging or Flogger) is left out,
 *     with a debug line, and its own initializer creates its loggers on the node ({@link ClassStatics#onlyLoggers()}).
 *     A logger cannot be copied (it reaches handlers and streams), is per-JVM plumbing rather than program state, and
 *     a fresh one logs the same lines; since the class has no other statics, nothing the program computed is
 *     reset;</li>
 *     <li>every other class's statics travel, all of them; when one cannot be copied (an atomic counter, a barrier, a
 *     lock, a socket, a logger next to a table; {@link ClassStatics#cannotTravel} names it) and the thread's code uses
 *     the statics of that class (reads or writes any of them, as far as {@link dev.virgo.runtime.classes.CodeScan}
 *     follows the code), the thread is refused, rather than the class being initialized afresh on the node, which
 *     would give null tables, fresh counters and barriers that never trip;</li>
 *     <li>when the thread's code does not use that class's statics (a library class in the closure, with a static id
 *     counter), they stay here, with a debug line, and the node initializes the class afresh if anything touches
 *     it: the thread cannot see the difference. A method of an object in the thread's graph that uses them refuses
 *     the thread too (the JDK may call it on the thread's behalf).</li>
 * </ul>
 * A {@code volatile} static the code uses refuses the thread as synchronization; one it does not use travels as a
 * value like any other.
 */
final class StaticFields
{
    /** The statics of one class, in a fixed field order; values travel as one {@code Object[]} per class. */
    static final class ClassStatics
    {
        private static final String WHOLE_GRAPH = "the graph ";

        final Class<?> type;
        final Field[] fields;
        private volatile Boolean onlyLoggers;
        private volatile boolean reportedStaying;
        private volatile String uncopyable;

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

        /**
         * True when every static is a {@code static final}, non-volatile field holding a logger: the class is then
         * left to its own initializer on the node. Final fields keep their values, so this is decided once.
         */
        boolean onlyLoggers()
        {
            Boolean decided = onlyLoggers;
            if (null == decided)
            {
                boolean loggers = fields.length > 0;
                final Object[] values = read();
                for (int i = 0; i < fields.length && loggers; i++)
                {
                    // The compiler's statics are the initializer's on the node too.
                    final int modifiers = fields[i].getModifiers();
                    loggers = fields[i].isSynthetic() || Modifier.isFinal(modifiers) &&
                        !Modifier.isVolatile(modifiers) && null != values[i] && isLogger(values[i].getClass());
                }
                decided = loggers;
                onlyLoggers = decided;
            }
            return decided;
        }

        /** @return true the first time it is called: the debug line that the statics stay per node is said once. */
        boolean firstTimeStaying()
        {
            final boolean first = !reportedStaying;
            reportedStaying = true;
            return first;
        }

        /**
         * @return why a static of this class cannot travel, once a snapshot found one ({@link #cannotTravel}), else
         * null. Kept: a thread whose code does not use these statics then leaves them here without trying again.
         */
        String uncopyable()
        {
            return uncopyable;
        }

        /**
         * Notes that the value of static {@code index} cannot be copied.
         *
         * @param copyFailure the graph codec's message for a graph made of that value alone.
         * @return the reason, as {@link #uncopyable()} will say it: names the field, and for a logger, why it was not
         * left to the node.
         */
        String cannotTravel(final int index, final Object value, final String copyFailure)
        {
            uncopyable = describeFailure(index, value, copyFailure);
            return uncopyable;
        }

        private String describeFailure(final int index, final Object value, final String copyFailure)
        {
            final Field field = fields[index];
            final String what = copyFailure.startsWith(WHOLE_GRAPH) ?
                copyFailure.substring(WHOLE_GRAPH.length()) : "reaches what cannot be copied: " + copyFailure;
            if (null == value || !isLogger(value.getClass()))
            {
                return "static " + name(field) + " " + what;
            }
            final StringBuilder others = new StringBuilder();
            for (final Field other : fields)
            {
                if (other != field && !other.isSynthetic())
                {
                    others.append(others.length() == 0 ? "" : ", ").append(name(other));
                }
            }
            return "static " + name(field) + " holds " + value.getClass().getName() + ", a logger, which cannot be " +
                "copied to another JVM; " + (Modifier.isFinal(field.getModifiers()) ?
                "the node re-creates loggers only in a class whose statics are all loggers, and " + others +
                " must travel with the thread (a class's statics travel together)" :
                "it is not final, so the node cannot re-create it by running the class's initializer");
        }

        private static String name(final Field field)
        {
            return field.getDeclaringClass().getName() + "." + field.getName();
        }
    }

    /**
     * Loggers of the usual logging APIs, by name, so that Virgo needs none of them: a value is a logger when its class
     * or one of its supertypes has one of these names.
     */
    private static final Set<String> LOGGER_TYPES = Set.of(
        "java.util.logging.Logger", "java.lang.System$Logger", "org.slf4j.Logger", "org.apache.logging.log4j.Logger",
        "org.apache.log4j.Category", "org.apache.commons.logging.Log", "org.jboss.logging.BasicLogger",
        "com.google.common.flogger.AbstractLogger");
    private static final ClassValue<Boolean> IS_LOGGER = new ClassValue<>()
    {
        @Override
        protected Boolean computeValue(final Class<?> type)
        {
            if (LOGGER_TYPES.contains(type.getName()))
            {
                return true;
            }
            for (final Class<?> implemented : type.getInterfaces())
            {
                if (isLogger(implemented))
                {
                    return true;
                }
            }
            return null != type.getSuperclass() && isLogger(type.getSuperclass());
        }
    };

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
            final List<Field> synthetic = new ArrayList<>();
            final Set<String> constants = constantFields(type);
            for (final Field field : type.getDeclaredFields())
            {
                if (Modifier.isStatic(field.getModifiers()) && !constants.contains(field.getName()))
                {
                    field.setAccessible(true);
                    (field.isSynthetic() ? synthetic : fields).add(field);
                }
            }
            // The compiler's own statics ($assertionsDisabled, switch maps) travel only with the program's: once the
            // node replaces the class's initializer, a flag left at its default would turn assertions on there.
            if (!fields.isEmpty())
            {
                fields.addAll(synthetic);
            }
            return new ClassStatics(type, fields.toArray(new Field[0]));
        }
    };

    /** @return the statics to copy for a thread whose own classes are {@code roots}. */
    List<ClassStatics> forRoots(final List<Class<?>> roots)
    {
        return forRoots(roots, type -> false);
    }

    /**
     * @param initializeHere says of a class not yet initialized here whether to initialize it now, so that its
     *                       statics travel and are shared with the program (moved threads share statics while they
     *                       run): true for the classes whose statics the thread's code uses. One whose initializer
     *                       fails here is left to the node, as before.
     * @return the statics to copy for a thread whose own classes are {@code roots}.
     */
    List<ClassStatics> forRoots(final List<Class<?>> roots, final Predicate<Class<?>> initializeHere)
    {
        final Set<Class<?>> seen = new HashSet<>();
        final List<ClassStatics> result = new ArrayList<>();
        for (final Class<?> root : roots)
        {
            for (final Class<?> type : closure.get(root))
            {
                if (seen.add(type) && (isInitialized(type) || initializeHere.test(type) && initialize(type)))
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
            // A class whose bytes cannot be read only narrows the closure; its statics stay per node.
            final ClassReader reader = ClassFiles.read(loader, internalName);
            if (null != reader)
            {
                for (final String referenced : ClassFiles.classesNamedByCode(reader))
                {
                    if (!visited.contains(referenced))
                    {
                        pending.add(referenced);
                    }
                }
            }
        }
        return found;
    }

    /** Names of the fields with a ConstantValue attribute, read from the class file. */
    private static Set<String> constantFields(final Class<?> type)
    {
        final Set<String> names = new HashSet<>();
        // Without the class file, every static is copied: correct, only larger.
        final ClassReader reader = ClassFiles.read(type.getClassLoader(), type.getName().replace('.', '/'));
        if (null != reader)
        {
            reader.accept(new ClassVisitor(Opcodes.ASM9)
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
        return names;
    }

    static boolean isLogger(final Class<?> type)
    {
        return IS_LOGGER.get(type);
    }

    /** Initializes {@code type} as its first use here would; false when its initializer fails. */
    private static boolean initialize(final Class<?> type)
    {
        try
        {
            Class.forName(type.getName(), true, type.getClassLoader());
            return true;
        }
        catch (final ClassNotFoundException | LinkageError ex)
        {
            VirgoLog.debug("statics of " + type.getName() + " not initialized at the origin: " + ex);
            return false;
        }
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
