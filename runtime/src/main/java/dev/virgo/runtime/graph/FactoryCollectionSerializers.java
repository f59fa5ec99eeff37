package dev.virgo.runtime.graph;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Collections made by JDK factory methods, read back as the same class: the immutable ones ({@code List.of},
 * {@code Set.of}, {@code Map.of}, their {@code copyOf}, {@code Stream.toList()}, their sub-lists) and the
 * fixed-size view {@code Arrays.asList}.
 * <p>
 * Kryo's own serializers for them register a scratch ArrayList (HashSet, HashMap) as the object of the
 * collection's reference id, then return the real collection: the id-ordered object list the merge aligns by then
 * holds the scratch object, so the final state no longer matches the snapshot and nothing of the thread is
 * written back, and a second reference to the collection resolves to the scratch copy. These never call
 * {@link Kryo#reference}: Kryo registers the collection itself at its id once read. (An element that refers back
 * to its own collection reads that reference as null; an immutable collection can only hold such a cycle through
 * a mutable element set after it was made.) An {@code Arrays.asList} copy is backed by a new Object[], not by a
 * copy of the array it viewed.
 * <p>
 * Wire layout, after Kryo's class and reference header:
 * <pre>
 *   list:   nullsAllowed:boolean | size:varint | element:classAndObject...
 *   set:    size:varint | element:classAndObject...
 *   map:    size:varint | (key:classAndObject value:classAndObject)...
 * </pre>
 */
final class FactoryCollectionSerializers
{
    private static final Class<?> SUB_LIST = List.of(1, 2, 3).subList(0, 1).getClass();
    private static final Class<?> ARRAYS_AS_LIST = Arrays.asList(1).getClass();

    private FactoryCollectionSerializers()
    {
    }

    static void register(final Kryo kryo)
    {
        final ListSerializer lists = new ListSerializer();
        kryo.addDefaultSerializer(List.of().getClass(), lists);
        kryo.addDefaultSerializer(List.of(1).getClass(), lists);
        kryo.addDefaultSerializer(List.of(1, 2, 3).getClass(), lists);
        kryo.addDefaultSerializer(SUB_LIST, lists);
        kryo.addDefaultSerializer(ARRAYS_AS_LIST, lists);
        final SetSerializer sets = new SetSerializer();
        kryo.addDefaultSerializer(Set.of().getClass(), sets);
        kryo.addDefaultSerializer(Set.of(1).getClass(), sets);
        kryo.addDefaultSerializer(Set.of(1, 2, 3).getClass(), sets);
        final MapSerializer maps = new MapSerializer();
        kryo.addDefaultSerializer(Map.of().getClass(), maps);
        kryo.addDefaultSerializer(Map.of(1, 1).getClass(), maps);
        kryo.addDefaultSerializer(Map.of(1, 1, 2, 2).getClass(), maps);
    }

    private static final class ListSerializer extends Serializer<List<Object>>
    {
        @Override
        public void write(final Kryo kryo, final Output output, final List<Object> list)
        {
            output.writeBoolean(allowsNulls(list));
            output.writeVarInt(list.size(), true);
            for (final Object element : list)
            {
                kryo.writeClassAndObject(output, element);
            }
        }

        @Override
        public List<Object> read(final Kryo kryo, final Input input, final Class<? extends List<Object>> type)
        {
            final boolean nullsAllowed = input.readBoolean();
            final Object[] elements = readElements(kryo, input);
            if (type == ARRAYS_AS_LIST)
            {
                return Arrays.asList(elements);
            }
            // Stream.toList() is the public way to the null-tolerant kind (same class, ListN, at every size).
            final List<Object> list = nullsAllowed ? Arrays.stream(elements).toList() : List.of(elements);
            return type == SUB_LIST ? list.subList(0, elements.length) : list;
        }

        /** List.of rejects even a search for null; Stream.toList() and Arrays.asList lists hold nulls. */
        private static boolean allowsNulls(final List<Object> list)
        {
            if (list.getClass() == ARRAYS_AS_LIST)
            {
                return true;
            }
            try
            {
                list.indexOf(null);
                return true;
            }
            catch (final NullPointerException ex)
            {
                return false;
            }
        }
    }

    private static final class SetSerializer extends Serializer<Set<Object>>
    {
        @Override
        public void write(final Kryo kryo, final Output output, final Set<Object> set)
        {
            output.writeVarInt(set.size(), true);
            for (final Object element : set)
            {
                kryo.writeClassAndObject(output, element);
            }
        }

        @Override
        public Set<Object> read(final Kryo kryo, final Input input, final Class<? extends Set<Object>> type)
        {
            return Set.of(readElements(kryo, input));
        }
    }

    private static final class MapSerializer extends Serializer<Map<Object, Object>>
    {
        @Override
        public void write(final Kryo kryo, final Output output, final Map<Object, Object> map)
        {
            output.writeVarInt(map.size(), true);
            for (final Map.Entry<Object, Object> entry : map.entrySet())
            {
                kryo.writeClassAndObject(output, entry.getKey());
                kryo.writeClassAndObject(output, entry.getValue());
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public Map<Object, Object> read(final Kryo kryo, final Input input, final Class<? extends Map<Object, Object>> type)
        {
            final int size = checkedSize(input);
            final Map.Entry<Object, Object>[] entries = new Map.Entry[size];
            for (int i = 0; i < size; i++)
            {
                final Object key = kryo.readClassAndObject(input);
                entries[i] = Map.entry(key, kryo.readClassAndObject(input));
            }
            return Map.ofEntries(entries);
        }
    }

    /** Every element takes at least one byte: a size beyond what is left is malformed, not an allocation to try. */
    private static int checkedSize(final Input input)
    {
        final int size = input.readVarInt(true);
        if (size > input.limit() - input.position())
        {
            throw new KryoException("immutable collection of " + size + " elements in " +
                (input.limit() - input.position()) + " remaining bytes");
        }
        return size;
    }

    private static Object[] readElements(final Kryo kryo, final Input input)
    {
        final Object[] elements = new Object[checkedSize(input)];
        for (int i = 0; i < elements.length; i++)
        {
            elements[i] = kryo.readClassAndObject(input);
        }
        return elements;
    }
}
