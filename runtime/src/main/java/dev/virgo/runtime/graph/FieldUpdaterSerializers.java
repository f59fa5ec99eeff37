package dev.virgo.runtime.graph;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * The JDK's field updaters ({@code AtomicIntegerFieldUpdater}, {@code AtomicLongFieldUpdater},
 * {@code AtomicReferenceFieldUpdater}), shared like the atomics: on a node every call the application makes on one is
 * carried to the origin and made there on the real updater, against the real object ({@code SyncContext#invoke}), so a
 * compare-and-set or an increment is atomic among all threads; the acquire after it brings the field's new value into
 * the node's copy. An updater has no value of its own: it travels as the field it updates, its class and its name,
 * and each side makes its own for its own class of that name (the node's classes are its own), as the program would:
 * {@code newUpdater} called as the field's class, which the JDK checks the caller against.
 * <p>
 * The JDK keeps the field an updater is for private (as its offset), so writing one needs
 * {@code java.util.concurrent.atomic} opened to Virgo, which the agent and a node's launcher do; without it an updater
 * is refused, saying so. Only fields of the program's classes: a node cannot have the origin make an updater for a
 * JDK class's field.
 * <p>
 * Wire layout, after Kryo's class and reference header: {@code class:class name:string}.
 */
final class FieldUpdaterSerializers
{
    private static final String INTEGER_IMPL =
        "java.util.concurrent.atomic.AtomicIntegerFieldUpdater$AtomicIntegerFieldUpdaterImpl";
    private static final String LONG_IMPL = "java.util.concurrent.atomic.AtomicLongFieldUpdater$CASUpdater";
    private static final String REFERENCE_IMPL =
        "java.util.concurrent.atomic.AtomicReferenceFieldUpdater$AtomicReferenceFieldUpdaterImpl";

    private FieldUpdaterSerializers()
    {
    }

    static void register(final Kryo kryo)
    {
        kryo.addDefaultSerializer(AtomicIntegerFieldUpdater.class, new UpdaterSerializer<>(
            AtomicIntegerFieldUpdater.class, INTEGER_IMPL, int.class));
        kryo.addDefaultSerializer(AtomicLongFieldUpdater.class, new UpdaterSerializer<>(
            AtomicLongFieldUpdater.class, LONG_IMPL, long.class));
        kryo.addDefaultSerializer(AtomicReferenceFieldUpdater.class, new UpdaterSerializer<>(
            AtomicReferenceFieldUpdater.class, REFERENCE_IMPL, null));
    }

    /** One kind of updater. */
    private static final class UpdaterSerializer<T> extends ExactJdkSerializer<T>
    {
        private final Class<?> kind;
        /** The JDK's class of this kind of updater, the one whose private fields the handles below read. */
        private final String implementation;
        /** The field's type, or null for a reference updater (any reference type). */
        private final Class<?> fieldType;
        private final VarHandle offset;
        private final VarHandle targetClass;
        private final MethodHandle constructor;
        /** Why the handles above could not be had, or null when they were. */
        private final String unreadable;
        /** Found once per class: an updater is written at every exchange of a thread that shares it. */
        private final ClassValue<Map<Long, String>> fieldNames = new ClassValue<>()
        {
            @Override
            protected Map<Long, String> computeValue(final Class<?> owner)
            {
                return namesByOffset(owner);
            }
        };

        UpdaterSerializer(final Class<?> kind, final String implementation, final Class<?> fieldType)
        {
            this.kind = kind;
            this.implementation = implementation;
            this.fieldType = fieldType;
            VarHandle offset = null;
            VarHandle targetClass = null;
            MethodHandle constructor = null;
            String unreadable = null;
            try
            {
                final Class<?> impl = Class.forName(implementation, false, null);
                final MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(impl, MethodHandles.lookup());
                offset = lookup.findVarHandle(impl, "offset", long.class);
                targetClass = lookup.findVarHandle(impl, "tclass", Class.class);
                constructor = lookup.findConstructor(impl, null == fieldType ?
                    MethodType.methodType(void.class, Class.class, Class.class, String.class, Class.class) :
                    MethodType.methodType(void.class, Class.class, String.class, Class.class));
            }
            catch (final ReflectiveOperationException | RuntimeException ex)
            {
                unreadable = "the field a " + kind.getSimpleName() + " updates is private to " +
                    "java.util.concurrent.atomic, which is not open to Virgo here (" + ex + "); the agent opens it";
            }
            this.offset = offset;
            this.targetClass = targetClass;
            this.constructor = constructor;
            this.unreadable = unreadable;
        }

        @Override
        void writeValue(final Kryo kryo, final Output output, final T updater)
        {
            if (null != unreadable || !implementation.equals(updater.getClass().getName()))
            {
                throw new RefusedObjectException(updater.getClass(), null != unreadable ? unreadable :
                    "a field updater of a JDK version Virgo does not know");
            }
            final Class<?> owner = (Class<?>)targetClass.get(updater);
            final String name = fieldNames.get(owner).get((long)offset.get(updater));
            if (null == name)
            {
                throw new RefusedObjectException(updater.getClass(), "no field of " + owner.getName() + " is the one " +
                    "it updates");
            }
            kryo.writeClass(output, owner);
            output.writeString(name);
        }

        /** The fields of a class this kind can update, by the offset the JDK's updater of each holds. */
        private Map<Long, String> namesByOffset(final Class<?> owner)
        {
            final Map<Long, String> names = new HashMap<>();
            for (final Field field : owner.getDeclaredFields())
            {
                if (isUpdatable(field))
                {
                    names.put((long)offset.get(make(owner, field)), field.getName());
                }
            }
            return Map.copyOf(names);
        }

        @Override
        @SuppressWarnings("unchecked")
        public T read(final Kryo kryo, final Input input, final Class<? extends T> type)
        {
            final Class<?> owner = kryo.readClass(input).getType();
            final String name = input.readString();
            if (GraphTypes.isJdk(owner))
            {
                throw new KryoException("a " + kind.getSimpleName() + " of " + owner.getName() + "." + name + ": only " +
                    "the fields of the program's classes are shared through updaters");
            }
            final Field field;
            try
            {
                field = owner.getDeclaredField(null == name ? "" : name);
            }
            catch (final NoSuchFieldException ex)
            {
                throw new KryoException("a " + kind.getSimpleName() + " of " + owner.getName() + "." + name +
                    ", a field it does not have");
            }
            if (!isUpdatable(field))
            {
                throw new KryoException("a " + kind.getSimpleName() + " of " + owner.getName() + "." + name +
                    ", which is not a volatile instance field it can update");
            }
            return (T)make(owner, field);
        }

        private boolean isUpdatable(final Field field)
        {
            final int modifiers = field.getModifiers();
            return Modifier.isVolatile(modifiers) && !Modifier.isStatic(modifiers) &&
                (null == fieldType ? !field.getType().isPrimitive() : field.getType() == fieldType);
        }

        /**
         * The updater {@code newUpdater} gives when {@code owner} itself calls it, which the JDK checks the caller's
         * access to the field against: {@code newUpdater} is caller-sensitive and a private lookup may not call it, so
         * its implementation's constructor, which takes the caller, with {@code owner} as the caller.
         */
        private Object make(final Class<?> owner, final Field field)
        {
            try
            {
                if (null == fieldType)
                {
                    return constructor.invoke(owner, field.getType(), field.getName(), owner);
                }
                return constructor.invoke(owner, field.getName(), owner);
            }
            catch (final Throwable ex)
            {
                throw new KryoException("cannot make a " + kind.getSimpleName() + " of " + owner.getName() + "." +
                    field.getName() + ": " + ex, ex);
            }
        }
    }
}
