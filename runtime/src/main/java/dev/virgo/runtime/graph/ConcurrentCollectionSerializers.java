package dev.virgo.runtime.graph;

import dev.virgo.runtime.sharing.ConcurrentTypes;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.SynchronousQueue;

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
 *   bounded blocking queue or deque: capacity:varint | size:varint | element:classAndObject...
 *   priority blocking queue: comparator:classAndObject | size:varint | element:classAndObject...
 *   transfer and synchronous queue: size:varint | element:classAndObject...
 * </pre>
 * They are written only for their exact JDK classes, the ones a node makes the updates of at the origin
 * ({@link ConcurrentTypes#isCarriedCollection}): a subclass may override an update, block in ways of its own, or hold
 * fields these would drop, so a copy of one is refused ({@link RefusedObjectException}) and its thread stays where the
 * other threads are. A node's copy of a blocking queue never blocks anyone: its puts and takes are made at the origin,
 * and the copy is what its thread reads between them. A bounded queue's capacity has no getter, so it is read as size
 * plus remaining capacity, twice the same size around it; only {@code remainingCapacity()} on the node's copy could
 * show it.
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
        final BlockingQueueSerializer queues = new BlockingQueueSerializer();
        kryo.addDefaultSerializer(LinkedBlockingQueue.class, queues);
        kryo.addDefaultSerializer(LinkedBlockingDeque.class, queues);
        kryo.addDefaultSerializer(ArrayBlockingQueue.class, queues);
        kryo.addDefaultSerializer(PriorityBlockingQueue.class, queues);
        kryo.addDefaultSerializer(LinkedTransferQueue.class, queues);
        kryo.addDefaultSerializer(SynchronousQueue.class, queues);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final class BlockingQueueSerializer extends Serializer<BlockingQueue>
    {
        private static final int CAPACITY_TRIES = 100;

        @Override
        public void write(final Kryo kryo, final Output output, final BlockingQueue queue)
        {
            final Class<?> type = exactly(queue.getClass());
            final Object[] elements = queue.toArray();
            if (type == PriorityBlockingQueue.class)
            {
                kryo.writeClassAndObject(output, ((PriorityBlockingQueue)queue).comparator());
            }
            else if (isBounded(type))
            {
                output.writeVarInt(Math.max(capacity(queue), elements.length), true);
            }
            SnapshotWire.writeElements(kryo, output, elements);
        }

        @Override
        public BlockingQueue read(final Kryo kryo, final Input input, final Class<? extends BlockingQueue> type)
        {
            final BlockingQueue queue;
            if (readable(type) == PriorityBlockingQueue.class)
            {
                queue = new PriorityBlockingQueue(1, (Comparator)kryo.readClassAndObject(input));
            }
            else if (isBounded(type))
            {
                final int capacity = input.readVarInt(true);
                if (capacity <= 0)
                {
                    throw new KryoException("a blocking queue of capacity " + capacity);
                }
                queue = type == LinkedBlockingQueue.class ? new LinkedBlockingQueue(capacity) :
                    type == LinkedBlockingDeque.class ? new LinkedBlockingDeque(capacity) :
                    new ArrayBlockingQueue(capacity);
            }
            else
            {
                queue = type == SynchronousQueue.class ? new SynchronousQueue() : new LinkedTransferQueue();
            }
            kryo.reference(queue);
            final int size = SnapshotWire.readSize(input, 1);
            if (size > queue.remainingCapacity())
            {
                throw new KryoException("a blocking queue of " + size + " elements beyond its capacity");
            }
            SnapshotWire.readElements(kryo, input, queue, size);
            return queue;
        }

        private static boolean isBounded(final Class<?> type)
        {
            return type == LinkedBlockingQueue.class || type == LinkedBlockingDeque.class ||
                type == ArrayBlockingQueue.class;
        }

        /** Size plus remaining capacity, taken when the size read before and after agree (see the class comment). */
        private static int capacity(final BlockingQueue queue)
        {
            int capacity = 0;
            for (int i = 0; i < CAPACITY_TRIES; i++)
            {
                final int sizeBefore = queue.size();
                final int remaining = queue.remainingCapacity();
                capacity = remaining >= Integer.MAX_VALUE - sizeBefore ? Integer.MAX_VALUE : sizeBefore + remaining;
                if (queue.size() == sizeBefore)
                {
                    break;
                }
            }
            return Math.max(1, capacity);
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final class SnapshotCollectionSerializer extends Serializer<Collection>
    {
        @Override
        public void write(final Kryo kryo, final Output output, final Collection collection)
        {
            exactly(collection.getClass());
            if (collection instanceof ConcurrentSkipListSet)
            {
                kryo.writeClassAndObject(output, ((ConcurrentSkipListSet)collection).comparator());
            }
            final Object[] elements = collection.toArray();
            SnapshotWire.writeElements(kryo, output, elements);
        }

        @Override
        public Collection read(final Kryo kryo, final Input input, final Class<? extends Collection> type)
        {
            final Collection collection;
            if (readable(type) == ConcurrentSkipListSet.class)
            {
                collection = new ConcurrentSkipListSet((Comparator)kryo.readClassAndObject(input));
            }
            else
            {
                collection = kryo.newInstance(type);
            }
            kryo.reference(collection);
            SnapshotWire.readElements(kryo, input, collection, SnapshotWire.readSize(input, 1));
            return collection;
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final class SnapshotMapSerializer extends Serializer<Map>
    {
        @Override
        public void write(final Kryo kryo, final Output output, final Map map)
        {
            exactly(map.getClass());
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
            SnapshotWire.writeEntries(kryo, output, entries.toArray());
        }

        @Override
        public Map read(final Kryo kryo, final Input input, final Class<? extends Map> type)
        {
            final Map map;
            if (readable(type) == ConcurrentSkipListMap.class)
            {
                map = new ConcurrentSkipListMap((Comparator)kryo.readClassAndObject(input));
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

    /**
     * The class of a collection about to be written, if it is one of the JDK's own; a subclass is refused, naming why.
     */
    private static Class<?> exactly(final Class<?> type)
    {
        if (!ConcurrentTypes.isCarriedCollection(type))
        {
            throw new RefusedObjectException(type, BlockingQueue.class.isAssignableFrom(type) ?
                "a blocking queue of a class of its own coordinates threads of this JVM in ways only its class " +
                "knows; a copy would coordinate nothing" :
                "a concurrent collection of a class of its own: its updates would change a copy, not be made where " +
                "the other threads see them");
        }
        return type;
    }

    /** The class a collection is read as, if it is one of the JDK's own: a stream naming another is malformed. */
    private static Class<?> readable(final Class<?> type)
    {
        if (!ConcurrentTypes.isCarriedCollection(type))
        {
            throw new KryoException("a concurrent collection of class " + type.getName() + ", not the JDK's own");
        }
        return type;
    }
}
