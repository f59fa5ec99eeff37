package dev.virgo.runtime.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.TreeSet;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.MapSerializer;

/**
 * The collections and maps Kryo would write with its {@code CollectionSerializer} and {@code MapSerializer} (an
 * {@code ArrayList}, an {@code ArrayDeque}, a {@code HashMap}, a {@code TreeSet}, a program's subclass of one...),
 * written from one snapshot of their content.
 * <p>
 * The origin encodes the program's live objects, every shared one at each exchange, while the program's own threads
 * run: one of them may be changing a collection at that moment under a lock the encoding thread does not hold (a
 * correctly synchronized program does exactly that: the moved thread reads the collection only after taking the lock,
 * but the exchange encodes it anyway). Kryo's serializers write the size, then iterate the collection up to three
 * times: one that changes in between yields more or fewer elements than the size said, nothing fails, and the reader
 * reads the rest of the stream misaligned (a {@code long[]} field handed another object), so the thread's objects can
 * no longer be kept coherent. These take the content once ({@code toArray}, one pass over a map's entries, again when
 * the collection changed under it and threw) and write exactly that. What is written may be stale, as any racy read
 * is; the stream is whole. ({@link ConcurrentCollectionSerializers} does the same for the concurrent ones.)
 * <p>
 * Wire layout, after Kryo's class and reference header:
 * <pre>
 *   collection: [comparator:classAndObject, for a TreeSet or PriorityQueue] size:varint element:classAndObject...
 *   map:        [comparator:classAndObject, for a TreeMap] size:varint (key:classAndObject value:classAndObject)...
 * </pre>
 */
final class PlainCollectionSerializers
{
    /** How often a collection that changed under {@code toArray} is taken again before the exchange gives up. */
    private static final int ATTEMPTS = 1_000;

    private static final Serializer<?> COLLECTIONS = new SnapshotCollectionSerializer();
    private static final Serializer<?> MAPS = new SnapshotMapSerializer();

    private PlainCollectionSerializers()
    {
    }

    /** @return the snapshotting serializer in place of Kryo's collection or map serializer, else {@code chosen}. */
    static Serializer<?> snapshotting(final Serializer<?> chosen)
    {
        if (chosen instanceof CollectionSerializer)
        {
            return COLLECTIONS;
        }
        return chosen instanceof MapSerializer ? MAPS : chosen;
    }

    private static Object[] elementsOf(final Collection<?> collection)
    {
        RuntimeException changed = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++)
        {
            try
            {
                final Object[] elements = collection.toArray();
                if (!holdsNullFrom(collection, elements))
                {
                    return elements;
                }
                changed = new IllegalStateException("a null element in a " + collection.getClass().getName());
            }
            catch (final RuntimeException ex) // a ConcurrentModificationException, or a torn read of its internals
            {
                changed = ex;
            }
            Thread.onSpinWait();
        }
        throw new KryoException("a " + collection.getClass().getName() + " kept changing while it was written: " +
            changed, changed);
    }

    /**
     * An {@code ArrayDeque} or a {@code PriorityQueue} holds no null: one in its snapshot is a slot another thread was
     * filling or emptying while {@code toArray} copied it.
     */
    private static boolean holdsNullFrom(final Collection<?> collection, final Object[] elements)
    {
        if (collection instanceof ArrayDeque || collection instanceof PriorityQueue)
        {
            for (final Object element : elements)
            {
                if (null == element)
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static Object[] keysAndValuesOf(final Map<?, ?> map)
    {
        RuntimeException changed = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++)
        {
            try
            {
                final ArrayList<Object> keysAndValues = new ArrayList<>(map.size() * 2 + 8);
                for (final Map.Entry<?, ?> entry : map.entrySet())
                {
                    keysAndValues.add(entry.getKey());
                    keysAndValues.add(entry.getValue());
                }
                return keysAndValues.toArray();
            }
            catch (final RuntimeException ex)
            {
                changed = ex;
                Thread.onSpinWait();
            }
        }
        throw new KryoException("a " + map.getClass().getName() + " kept changing while it was written: " + changed,
            changed);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final class SnapshotCollectionSerializer extends Serializer<Collection>
    {
        @Override
        public void write(final Kryo kryo, final Output output, final Collection collection)
        {
            if (collection instanceof TreeSet)
            {
                kryo.writeClassAndObject(output, ((TreeSet)collection).comparator());
            }
            else if (collection instanceof PriorityQueue)
            {
                kryo.writeClassAndObject(output, ((PriorityQueue)collection).comparator());
            }
            final Object[] elements = elementsOf(collection);
            SnapshotWire.writeElements(kryo, output, elements);
        }

        @Override
        public Collection read(final Kryo kryo, final Input input, final Class<? extends Collection> type)
        {
            final Collection collection;
            if (TreeSet.class.isAssignableFrom(type))
            {
                final Comparator comparator = (Comparator)kryo.readClassAndObject(input);
                collection = type == TreeSet.class ? new TreeSet(comparator) : kryo.newInstance(type);
            }
            else if (PriorityQueue.class.isAssignableFrom(type))
            {
                final Comparator comparator = (Comparator)kryo.readClassAndObject(input);
                collection = type == PriorityQueue.class ? new PriorityQueue(comparator) : kryo.newInstance(type);
            }
            else
            {
                collection = kryo.newInstance(type);
            }
            kryo.reference(collection);
            final int size = SnapshotWire.readSize(input, 1);
            if (collection instanceof ArrayList)
            {
                ((ArrayList)collection).ensureCapacity(size);
            }
            SnapshotWire.readElements(kryo, input, collection, size);
            return collection;
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final class SnapshotMapSerializer extends Serializer<Map>
    {
        @Override
        public void write(final Kryo kryo, final Output output, final Map map)
        {
            if (map instanceof TreeMap)
            {
                kryo.writeClassAndObject(output, ((TreeMap)map).comparator());
            }
            final Object[] keysAndValues = keysAndValuesOf(map);
            SnapshotWire.writeEntries(kryo, output, keysAndValues);
        }

        @Override
        public Map read(final Kryo kryo, final Input input, final Class<? extends Map> type)
        {
            final Map map;
            if (TreeMap.class.isAssignableFrom(type))
            {
                final Comparator comparator = (Comparator)kryo.readClassAndObject(input);
                map = type == TreeMap.class ? new TreeMap(comparator) : kryo.newInstance(type);
            }
            else
            {
                map = kryo.newInstance(type);
            }
            kryo.reference(map);
            SnapshotWire.readEntries(kryo, input, map);
            return map;
        }
    }
}
