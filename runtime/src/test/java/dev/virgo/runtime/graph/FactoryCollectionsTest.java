package dev.virgo.runtime.graph;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Collections made by JDK factories (List.of, Set.of, Map.of, Stream.toList, Arrays.asList) are copied as what
 * they are, and a graph holding them merges back: Kryo's own serializers registered a scratch copy in their place,
 * which misaligned the final state with the snapshot so that none of the thread's writes landed.
 */
class FactoryCollectionsTest
{
    private static final ClassLoader LOADER = FactoryCollectionsTest.class.getClassLoader();

    private final GraphCodec codec = new GraphCodec(1 << 20);

    @Test
    void shouldWriteBackTheThreadsWritesWhenItsGraphHoldsFactoryCollections()
    {
        final Config config = new Config();
        final Snapshot snapshot = codec.snapshot(new Object[]{config}, LOADER);

        final Image image = codec.read(snapshot.bytes(), LOADER);
        final Config copy = (Config)image.roots()[0];
        assertThrows(UnsupportedOperationException.class, () -> copy.names.add("z"), "still immutable on the node");
        assertThrows(UnsupportedOperationException.class, () -> copy.withNull.add("z"));
        assertThrows(UnsupportedOperationException.class, () -> copy.fixed.add(4), "still fixed-size on the node");
        copy.fixed.set(1, 20);
        copy.total = copy.names.size() + copy.ids.size() + copy.limits.size() + copy.withNull.size() + copy.tail.size();
        snapshot.mergeBack(image.finalState());

        assertEquals(2 + 3 + 2 + 2 + 2, config.total);
        assertEquals(List.of(1, 20, 3), config.fixed);
    }

    @Test
    void shouldKeepOneObjectForTwoReferencesToAnImmutableListAndItsClass()
    {
        final List<String> shared = List.of("a", "b", "c");
        final Config first = new Config();
        final Config second = new Config();
        first.names = shared;
        second.names = shared;
        final Snapshot snapshot = codec.snapshot(new Object[]{first, second}, LOADER);

        final Object[] roots = codec.read(snapshot.bytes(), LOADER).roots();

        assertSame(((Config)roots[0]).names, ((Config)roots[1]).names);
        assertSame(shared.getClass(), ((Config)roots[0]).names.getClass());
        assertSame(first.tail.getClass(), ((Config)roots[0]).tail.getClass());
        assertSame(first.fixed.getClass(), ((Config)roots[0]).fixed.getClass());
    }

    @Test
    void shouldCopyANullTolerantStreamListAsNullTolerant()
    {
        final Config config = new Config();
        final Snapshot snapshot = codec.snapshot(new Object[]{config}, LOADER);

        final Config copy = (Config)codec.read(snapshot.bytes(), LOADER).roots()[0];

        assertNull(copy.withNull.get(1));
        assertEquals(1, copy.withNull.indexOf(null));
        assertThrows(NullPointerException.class, () -> copy.names.indexOf(null), "List.of stays null-hostile");
    }

    static final class Config
    {
        List<String> names = List.of("x", "y");
        Set<Integer> ids = Set.of(1, 2, 3);
        Map<String, Integer> limits = Map.of("a", 1, "b", 2);
        List<String> withNull = Stream.of("p", (String)null).toList();
        List<Integer> tail = List.of(0, 1, 2, 3).subList(2, 4);
        List<Integer> fixed = Arrays.asList(1, 2, 3);
        int total;
    }
}
