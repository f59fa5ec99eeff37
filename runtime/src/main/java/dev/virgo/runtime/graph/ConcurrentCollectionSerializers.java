package dev.virgo.runtime.graph;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * The concurrent collections and maps of java.util.concurrent, written from one snapshot of their content.
 * <p>
 * The origin encodes live objects, and another thread may change a concurrent collection while it is written (another
 * moved thread's release merged by its shadow, the program's own threads). Kryo's own serializers write the size, then
 * iterate: a weakly consistent iterator then yields more or fewer elements than the size said, nothing fails, and the
 * reader reads the stream misaligned ("unregistered class ID"), so the exchange is lost. These copy the content once
 * ({@code toArray}, one pass over the entries) and write exactly that: the state of some moment, which is all a
 * concurrent collection ever promises a reader.
 * <p>
 * Wire layout, after Kryo's class and reference header:
 * <pre>
 *   collection: size:varint | element:classAndObject...
 *   skip-list set: comparator:classAndObject | size:varint | element:classAndObject...
 *   map:        size:varint | (key:classAndObject value:classAndObject)...
 *   skip-list map: comparator:classAndObject | size:varint | (key value)...
 * </pre>
 */
final class ConcurrentCollectionSerializers
{
    private ConcurrentCollectionSerializers()
    {
    }

    static void register(final Kryo kryo)
    {
        final SnapshotCollectionSerializer collections = new SnapshotCollectionSerializer();
        kryo.addDefaultSerializer(ConcurrentLinkedQueue.class, collections);
        kryo.addDefaultSerializer(ConcurrentLinkedDeque.class, collections);
        kryo.addDefaultSerializer(CopyOnWriteArrayList.class, collections);
        kryo.addDefaultSerializer(CopyOnWriteArraySet.class, collections);
        kryo.addDefaultSerializer(ConcurrentSkipListSet.class, collections);
        final SnapshotMapSerializer maps = new SnapshotMapSerializer();
        kryo.addDefaultSerializer(ConcurrentHashMap.class, maps);
        kryo.addDefaultSerializer(ConcurrentSkipListMap.class, maps);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final class SnapshotCollectionSerializer extends Serializer<Collection>
    {
        @Override
        public void write(final Kryo kryo, final Output output, final Collection collection)
        {
            if (collection instanceof ConcurrentSkipListSet)
            {
                kryo.writeClassAndObject(output, ((ConcurrentSkipListSet)collection).comparator());
            }
            final Object[] elements = collection.toArray();
            output.writeVarInt(elements.length, true);
            for (final Object element : elements)
            {
                kryo.writeClassAndObject(output, element);
            }
        }

        @Override
        public Collection read(final Kryo kryo, final Input input, final Class<? extends Collection> type)
        {
            final Collection collection;
            if (type == ConcurrentSkipListSet.class)
            {
                collection = new ConcurrentSkipListSet((Comparator)kryo.readClassAndObject(input));
            }
            else
            {
                collection = kryo.newInstance(type);
            }
            kryo.reference(collection);
            final int size = checkedSize(input);
            for (int i = 0; i < size; i++)
            {
                collection.add(kryo.readClassAndObject(input));
            }
            return collection;
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final class SnapshotMapSerializer extends Serializer<Map>
    {
        @Override
        public void write(final Kryo kryo, final Output output, final Map map)
        {
            if (map instanceof ConcurrentSkipListMap)
            {
                kryo.writeClassAndObject(output, ((ConcurrentSkipListMap)map).comparator());
            }
            final ArrayList<Object> entries = new ArrayList<>();
            for (final Object e : map.entrySet())
            {
                final Map.Entry entry = (Map.Entry)e;
                entries.add(entry.getKey());
                entries.add(entry.getValue());
            }
            output.writeVarInt(entries.size() / 2, true);
            for (final Object keyOrValue : entries)
            {
                kryo.writeClassAndObject(output, keyOrValue);
            }
        }

        @Override
        public Map read(final Kryo kryo, final Input input, final Class<? extends Map> type)
        {
            final Map map;
            if (type == ConcurrentSkipListMap.class)
            {
                map = new ConcurrentSkipListMap((Comparator)kryo.readClassAndObject(input));
            }
            else
            {
                map = kryo.newInstance(type);
            }
            kryo.reference(map);
            final int size = checkedSize(input);
            for (int i = 0; i < size; i++)
            {
                final Object key = kryo.readClassAndObject(input);
                map.put(key, kryo.readClassAndObject(input));
            }
            return map;
        }
    }

    private static int checkedSize(final Input input)
    {
        final int size = input.readVarInt(true);
        if (size < 0 || size > input.limit() - input.position())
        {
            throw new KryoException("a concurrent collection of " + size + " elements does not fit in the " +
                (input.limit() - input.position()) + " bytes left");
        }
        return size;
    }
}
