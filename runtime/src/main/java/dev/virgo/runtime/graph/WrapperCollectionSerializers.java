package dev.virgo.runtime.graph;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * The wrappers of {@link Collections} ({@code unmodifiable...}, {@code synchronized...}) and {@link EnumMap}, read
 * back as what they are: the same wrapper class around the copy of the same backing collection, so a wrapper and
 * its backing collection both reached from the graph are one collection on the node, and what the thread writes
 * through a synchronized wrapper is a change of the backing collection, merged at the end like any collection's.
 * A wrapper has no state of its own to merge ({@link #isWrapper}).
 * <p>
 * A wrapper's backing collection is a private field of {@code java.util}, read through
 * {@code jdk.internal.misc.Unsafe}, which the agent exports to Virgo (as it does for Aeron). A synchronized wrapper
 * whose lock is another object (a synchronized map's key set locks on the map; a {@code Hashtable}'s views on the
 * table) is refused: the copy would lock on itself. Views (a sub-list, a map's key set, values or entries, a
 * sub-map) are refused at the origin ({@link #isView}): copied, a view would be a detached collection whose writes
 * reach nothing, and rebuilding it as a view of its copied owner is not supported yet.
 * <p>
 * Like {@link FactoryCollectionSerializers}, the wrappers never call {@link Kryo#reference} with a scratch object:
 * Kryo registers the wrapper at its id once read, so the id order the merge aligns by is the same on both sides.
 * (A backing collection that holds its own wrapper reads that reference as null.) An EnumMap is registered with
 * Kryo before its entries are read, as Kryo's own maps are.
 * <p>
 * Wire layout, after Kryo's class and reference header:
 * <pre>
 *   wrapper:  backing:classAndObject
 *   EnumMap:  keyType:class | size:varint | (key:classAndObject value:classAndObject)...
 * </pre>
 */
final class WrapperCollectionSerializers
{
    private static final Map<Class<?>, Function<Object, Object>> WRAPPERS = new IdentityHashMap<>();
    private static final Class<?> UNMODIFIABLE_COLLECTION = Collections.unmodifiableCollection(List.of()).getClass();
    private static final Class<?> UNMODIFIABLE_MAP = Collections.unmodifiableMap(Map.of()).getClass();
    private static final Class<?> SYNCHRONIZED_COLLECTION = Collections.synchronizedCollection(List.of()).getClass();
    private static final Class<?> SYNCHRONIZED_MAP = Collections.synchronizedMap(Map.of()).getClass();
    private static final JdkField UNMODIFIABLE_COLLECTION_BACKING = new JdkField(UNMODIFIABLE_COLLECTION, "c");
    private static final JdkField UNMODIFIABLE_MAP_BACKING = new JdkField(UNMODIFIABLE_MAP, "m");
    private static final JdkField SYNCHRONIZED_COLLECTION_BACKING = new JdkField(SYNCHRONIZED_COLLECTION, "c");
    private static final JdkField SYNCHRONIZED_COLLECTION_MUTEX = new JdkField(SYNCHRONIZED_COLLECTION, "mutex");
    private static final JdkField SYNCHRONIZED_MAP_BACKING = new JdkField(SYNCHRONIZED_MAP, "m");
    private static final JdkField SYNCHRONIZED_MAP_MUTEX = new JdkField(SYNCHRONIZED_MAP, "mutex");
    private static final JdkField ENUM_MAP_KEY_TYPE = new JdkField(EnumMap.class, "keyType");

    static
    {
        // Each wrapper class with the factory that makes it; the factory's result is checked to be of that class.
        wrapper(Collections.unmodifiableCollection(new ArrayList<>()), c -> Collections.unmodifiableCollection((Collection<?>)c));
        wrapper(Collections.unmodifiableSet(new TreeSet<>()), c -> Collections.unmodifiableSet((Set<?>)c));
        wrapper(Collections.unmodifiableSortedSet(new TreeSet<>()), c -> Collections.unmodifiableSortedSet((SortedSet<?>)c));
        wrapper(Collections.unmodifiableNavigableSet(new TreeSet<>()), c -> Collections.unmodifiableNavigableSet((NavigableSet<?>)c));
        wrapper(Collections.unmodifiableList(new ArrayList<>()), c -> Collections.unmodifiableList((List<?>)c));
        wrapper(Collections.unmodifiableList(new LinkedList<>()), c -> Collections.unmodifiableList((List<?>)c));
        wrapper(Collections.unmodifiableMap(new TreeMap<>()), c -> Collections.unmodifiableMap((Map<?, ?>)c));
        wrapper(Collections.unmodifiableSortedMap(new TreeMap<>()), c -> Collections.unmodifiableSortedMap((SortedMap<?, ?>)c));
        wrapper(Collections.unmodifiableNavigableMap(new TreeMap<>()), c -> Collections.unmodifiableNavigableMap((NavigableMap<?, ?>)c));
        wrapper(Collections.synchronizedCollection(new ArrayList<>()), c -> Collections.synchronizedCollection((Collection<?>)c));
        wrapper(Collections.synchronizedSet(new TreeSet<>()), c -> Collections.synchronizedSet((Set<?>)c));
        wrapper(Collections.synchronizedSortedSet(new TreeSet<>()), c -> Collections.synchronizedSortedSet((SortedSet<?>)c));
        wrapper(Collections.synchronizedNavigableSet(new TreeSet<>()), c -> Collections.synchronizedNavigableSet((NavigableSet<?>)c));
        wrapper(Collections.synchronizedList(new ArrayList<>()), c -> Collections.synchronizedList((List<?>)c));
        wrapper(Collections.synchronizedList(new LinkedList<>()), c -> Collections.synchronizedList((List<?>)c));
        wrapper(Collections.synchronizedMap(new TreeMap<>()), c -> Collections.synchronizedMap((Map<?, ?>)c));
        wrapper(Collections.synchronizedSortedMap(new TreeMap<>()), c -> Collections.synchronizedSortedMap((SortedMap<?, ?>)c));
        wrapper(Collections.synchronizedNavigableMap(new TreeMap<>()), c -> Collections.synchronizedNavigableMap((NavigableMap<?, ?>)c));
    }

    private WrapperCollectionSerializers()
    {
    }

    static void register(final Kryo kryo)
    {
        final WrapperSerializer wrappers = new WrapperSerializer();
        for (final Class<?> type : WRAPPERS.keySet())
        {
            kryo.addDefaultSerializer(type, wrappers);
        }
        kryo.addDefaultSerializer(EnumMap.class, new EnumMapSerializer());
    }

    /** A wrapper holds nothing but its backing collection (and a synchronized one, itself as its lock). */
    static boolean isWrapper(final Class<?> type)
    {
        return WRAPPERS.containsKey(type);
    }

    /**
     * A JDK collection or map that is a view of another (declared inside a collection or map class: ArrayList's
     * sub-list, HashMap's key set, values and entries, TreeMap's sub-maps, an unmodifiable map's entry set...).
     */
    static boolean isView(final Class<?> type)
    {
        if (!(Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type)) || !GraphTypes.isJdk(type))
        {
            return false;
        }
        for (Class<?> owner = type.getEnclosingClass(); owner != null; owner = owner.getEnclosingClass())
        {
            if (Collection.class.isAssignableFrom(owner) || Map.class.isAssignableFrom(owner))
            {
                return true;
            }
        }
        return false;
    }

    /** The collection or map a wrapper wraps. */
    static Object backing(final Object wrapper)
    {
        if (UNMODIFIABLE_COLLECTION.isInstance(wrapper))
        {
            return UNMODIFIABLE_COLLECTION_BACKING.get(wrapper);
        }
        if (UNMODIFIABLE_MAP.isInstance(wrapper))
        {
            return UNMODIFIABLE_MAP_BACKING.get(wrapper);
        }
        if (SYNCHRONIZED_COLLECTION.isInstance(wrapper))
        {
            checkOwnLock(wrapper, SYNCHRONIZED_COLLECTION_MUTEX.get(wrapper));
            return SYNCHRONIZED_COLLECTION_BACKING.get(wrapper);
        }
        checkOwnLock(wrapper, SYNCHRONIZED_MAP_MUTEX.get(wrapper));
        return SYNCHRONIZED_MAP_BACKING.get(wrapper);
    }

    /** A new wrapper of the same class as {@code wrapper}, around {@code backing}. */
    static Object rewrap(final Class<?> wrapperType, final Object backing)
    {
        final Object wrapper = WRAPPERS.get(wrapperType).apply(backing);
        if (wrapper.getClass() != wrapperType)
        {
            throw new KryoException(wrapperType.getName() + " around a " + backing.getClass().getName() +
                " reads back as a " + wrapper.getClass().getName());
        }
        return wrapper;
    }

    private static void wrapper(final Object example, final Function<Object, Object> factory)
    {
        WRAPPERS.put(example.getClass(), factory);
    }

    private static void checkOwnLock(final Object wrapper, final Object mutex)
    {
        if (mutex != wrapper)
        {
            throw new RefusedObjectException(wrapper.getClass(), "this synchronized view locks on its " +
                mutex.getClass().getName() + ", which a copy could not share");
        }
    }

    private static final class WrapperSerializer extends Serializer<Object>
    {
        @Override
        public void write(final Kryo kryo, final Output output, final Object wrapper)
        {
            if (!isWrapper(wrapper.getClass()))
            {
                // A subclass of a known wrapper (JDK 21's unmodifiableSequencedCollection...) has no factory here.
                throw new RefusedObjectException(wrapper.getClass(), "this kind of collection wrapper cannot be copied yet");
            }
            kryo.writeClassAndObject(output, backing(wrapper));
        }

        @Override
        public Object read(final Kryo kryo, final Input input, final Class<?> type)
        {
            final Object backing = kryo.readClassAndObject(input);
            if (backing == null)
            {
                throw new KryoException(type.getName() + " read back without its collection (a collection that " +
                    "holds its own wrapper cannot be copied)");
            }
            return rewrap(type, backing);
        }
    }

    /** Kryo's MapSerializer makes an EnumMap without its key type; this one keeps it, also for an empty map. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final class EnumMapSerializer extends Serializer<EnumMap>
    {
        @Override
        public void write(final Kryo kryo, final Output output, final EnumMap map)
        {
            if (map.getClass() != EnumMap.class)
            {
                throw new RefusedObjectException(map.getClass(), "a subclass of EnumMap cannot be copied yet");
            }
            kryo.writeClass(output, (Class<?>)ENUM_MAP_KEY_TYPE.get(map));
            output.writeVarInt(map.size(), true);
            for (final Object e : map.entrySet())
            {
                final Map.Entry<?, ?> entry = (Map.Entry<?, ?>)e;
                kryo.writeClassAndObject(output, entry.getKey());
                kryo.writeClassAndObject(output, entry.getValue());
            }
        }

        @Override
        public EnumMap read(final Kryo kryo, final Input input, final Class<? extends EnumMap> type)
        {
            final Class keyType = kryo.readClass(input).getType();
            if (!keyType.isEnum())
            {
                throw new KryoException("EnumMap of " + keyType.getName() + ", not an enum");
            }
            final EnumMap map = new EnumMap(keyType);
            kryo.reference(map);
            final int size = input.readVarInt(true);
            if (size > keyType.getEnumConstants().length)
            {
                throw new KryoException("EnumMap of " + size + " entries for " + keyType.getName());
            }
            for (int i = 0; i < size; i++)
            {
                final Object key = kryo.readClassAndObject(input);
                map.put(key, kryo.readClassAndObject(input));
            }
            return map;
        }
    }

    /**
     * A private field of a {@code java.util} class, read through {@code jdk.internal.misc.Unsafe}: {@code java.util}
     * is not open to Virgo, but {@code jdk.internal.misc} is exported to it (by the agent; on the command line in
     * tests and on nodes). Without that export the object is refused with the reason.
     */
    private static final class JdkField
    {
        private final String name;
        private final MethodHandle getter;
        private final String unavailable;

        JdkField(final Class<?> owner, final String name)
        {
            this.name = owner.getName() + "." + name;
            MethodHandle handle = null;
            String why = null;
            try
            {
                final Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
                final Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
                final MethodHandles.Lookup lookup = MethodHandles.lookup();
                final long offset = (long)lookup.findVirtual(unsafeClass, "objectFieldOffset",
                    MethodType.methodType(long.class, Class.class, String.class)).invoke(unsafe, owner, name);
                handle = MethodHandles.insertArguments(lookup.findVirtual(unsafeClass, "getReference",
                    MethodType.methodType(Object.class, Object.class, long.class)).bindTo(unsafe), 1, offset);
            }
            catch (final Throwable ex)
            {
                why = "cannot read " + this.name + " (java.base does not export jdk.internal.misc to Virgo): " + ex;
            }
            this.getter = handle;
            this.unavailable = why;
        }

        Object get(final Object object)
        {
            if (getter == null)
            {
                throw new RefusedObjectException(object.getClass(), unavailable);
            }
            try
            {
                return getter.invoke(object);
            }
            catch (final Throwable ex)
            {
                throw new KryoException("cannot read " + name + ": " + ex, ex);
            }
        }
    }
}
