package dev.virgo.runtime.graph;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JDK wrappers and special collections that real programs keep in fields (Collections.unmodifiable..., synchronized...,
 * empty..., singleton..., EnumMap, EnumSet) travel as what they are: the same class, around the copy of the same
 * backing collection, so writes the thread makes through a synchronized wrapper land in the origin's backing
 * collection at the merge, merged by change like any collection. Views that cannot travel as views (a sub-list, a
 * map's key set, values or entries) are refused at the origin, before the thread moves.
 */
class WrapperCollectionsTest
{
    private static final ClassLoader LOADER = WrapperCollectionsTest.class.getClassLoader();

    private final GraphCodec codec = new GraphCodec(1 << 20);

    enum Kind
    {
        RED, GREEN, BLUE
    }

    @Test
    void shouldCopyEveryWrapperAsItsOwnClass()
    {
        final Wrappers wrappers = new Wrappers();
        final Snapshot snapshot = codec.snapshot(new Object[]{wrappers}, LOADER);

        final Wrappers copy = (Wrappers)codec.read(snapshot.bytes(), LOADER).roots()[0];

        for (final java.lang.reflect.Field field : Wrappers.class.getDeclaredFields())
        {
            try
            {
                final Object original = field.get(wrappers);
                final Object copied = field.get(copy);
                assertSame(original.getClass(), copied.getClass(), field.getName());
                assertEquals(original.toString(), copied.toString(), field.getName());
            }
            catch (final IllegalAccessException ex)
            {
                throw new AssertionError(ex);
            }
        }
        assertThrows(UnsupportedOperationException.class, () -> copy.unmodifiableList.add("z"), "still unmodifiable");
        assertThrows(UnsupportedOperationException.class, () -> copy.unmodifiableMap.put("z", 1));
        assertThrows(UnsupportedOperationException.class, () -> copy.emptyList.add("z"));
        assertThrows(UnsupportedOperationException.class, () -> copy.singletonMap.put("z", 1));
    }

    @Test
    void shouldKeepAWrapperAndItsBackingCollectionOneCollectionOnTheNode()
    {
        final Worker worker = new Worker();
        final Snapshot snapshot = codec.snapshot(new Object[]{worker}, LOADER);

        final Worker copy = (Worker)codec.read(snapshot.bytes(), LOADER).roots()[0];
        copy.results.add("seen");
        copy.backing.put("k", 7);
        copy.backingSet.add(3);

        assertEquals(List.of("first", "seen"), copy.view);
        assertEquals(Map.of("k", 7), copy.shared);
        assertTrue(copy.sortedView.contains(3));
    }

    @Test
    void shouldMergeWritesThroughASynchronizedWrapperIntoTheOriginsBackingCollection()
    {
        final Worker worker = new Worker();
        final Snapshot first = codec.snapshot(new Object[]{worker}, LOADER);
        final Snapshot second = codec.snapshot(new Object[]{worker}, LOADER);
        final Image one = codec.read(first.bytes(), LOADER);
        final Image two = codec.read(second.bytes(), LOADER);

        final Worker a = (Worker)one.roots()[0];
        final Worker b = (Worker)two.roots()[0];
        a.shared.put("a", 1);
        a.syncList.add("from a");
        a.counts.merge(Kind.RED, 1, Integer::sum);
        a.kinds.add(Kind.GREEN);
        b.shared.put("b", 2);
        b.syncList.add("from b");
        b.counts.merge(Kind.BLUE, 5, Integer::sum);
        b.kinds.add(Kind.BLUE);
        worker.shared.put("main", 0);
        first.mergeBack(one.finalState());
        second.mergeBack(two.finalState());

        assertEquals(Map.of("a", 1, "b", 2, "main", 0), worker.backing, "both threads' and main's puts landed");
        assertEquals(Set.of("from a", "from b"), new HashSet<>(worker.syncListBacking));
        assertEquals(Map.of(Kind.RED, 1, Kind.BLUE, 5), worker.counts);
        assertEquals(EnumSet.of(Kind.RED, Kind.GREEN, Kind.BLUE), worker.kinds);
        assertSame(worker.backing, unwrapCheck(worker), "the wrapper still wraps the origin's own map");
    }

    @Test
    void shouldSeeTheThreadsWritesThroughTheUnmodifiableViewOfAListItFilled()
    {
        final Worker worker = new Worker();
        final List<String> view = worker.view;
        final Snapshot snapshot = codec.snapshot(new Object[]{worker}, LOADER);
        final Image image = codec.read(snapshot.bytes(), LOADER);
        ((Worker)image.roots()[0]).results.add("done");

        snapshot.mergeBack(image.finalState());

        assertSame(view, worker.view);
        assertEquals(List.of("first", "done"), worker.view);
    }

    @Test
    void shouldRefuseViewsOfACollectionAtTheOrigin()
    {
        final HashMap<String, Integer> map = new HashMap<>(Map.of("a", 1));
        final ArrayList<Integer> list = new ArrayList<>(List.of(1, 2, 3));
        for (final Object view : new Object[]{list.subList(1, 2), map.keySet(), map.values(), map.entrySet(),
            new TreeMap<>(map).keySet(), new TreeMap<>(map).values(), new TreeMap<>(map).headMap("b"),
            new java.util.LinkedHashMap<>(map).entrySet(), Collections.unmodifiableMap(map).entrySet(),
            Collections.synchronizedMap(map).keySet()})
        {
            final UnshippableGraphException ex = assertThrows(UnshippableGraphException.class,
                () -> codec.snapshot(new Object[]{new Holder(view)}, LOADER), view.getClass().getName());
            assertTrue(ex.getMessage().contains("Holder.view holds " + view.getClass().getName()), ex.getMessage());
            assertTrue(ex.getMessage().contains("view"), ex.getMessage());
        }
    }

    @Test
    void shouldAttachAWrapperTheThreadCreatedAroundTheOriginsBackingCollection()
    {
        final Worker worker = new Worker();
        final Snapshot snapshot = codec.snapshot(new Object[]{worker}, LOADER);
        final Image image = codec.read(snapshot.bytes(), LOADER);
        final Worker copy = (Worker)image.roots()[0];
        copy.published = Collections.unmodifiableList(copy.results);
        copy.results.add("later");

        snapshot.mergeBack(image.finalState());

        assertSame(copy.view.getClass(), worker.published.getClass());
        worker.results.add("after join");
        assertEquals(List.of("first", "later", "after join"), worker.published, "wraps the origin's own list");
    }

    private static Object unwrapCheck(final Worker worker)
    {
        worker.backing.put("probe", -1);
        final boolean seen = worker.shared.containsKey("probe");
        worker.backing.remove("probe");
        return seen ? worker.backing : null;
    }

    static final class Holder
    {
        final Object view;

        Holder(final Object view)
        {
            this.view = view;
        }
    }

    static final class Worker
    {
        final List<String> results = new ArrayList<>(List.of("first"));
        final List<String> view = Collections.unmodifiableList(results);
        final Map<String, Integer> backing = new HashMap<>();
        final Map<String, Integer> shared = Collections.synchronizedMap(backing);
        final List<String> syncListBacking = new ArrayList<>();
        final List<String> syncList = Collections.synchronizedList(syncListBacking);
        final TreeSet<Integer> backingSet = new TreeSet<>();
        final Set<Integer> sortedView = Collections.unmodifiableSortedSet(backingSet);
        final EnumMap<Kind, Integer> counts = new EnumMap<>(Kind.class);
        final EnumSet<Kind> kinds = EnumSet.of(Kind.RED);
        List<String> published;
    }

    static final class Wrappers
    {
        final Collection<String> unmodifiableCollection = Collections.unmodifiableCollection(new ArrayList<>(List.of("c")));
        final List<String> unmodifiableList = Collections.unmodifiableList(new ArrayList<>(List.of("l")));
        final List<String> unmodifiableLinkedList = Collections.unmodifiableList(new java.util.LinkedList<>(List.of("l")));
        final Set<String> unmodifiableSet = Collections.unmodifiableSet(new HashSet<>(Set.of("s")));
        final Map<String, Integer> unmodifiableMap = Collections.unmodifiableMap(new HashMap<>(Map.of("m", 1)));
        final Set<String> unmodifiableSortedSet = Collections.unmodifiableSortedSet(new TreeSet<>(Set.of("a", "b")));
        final Map<String, Integer> unmodifiableSortedMap = Collections.unmodifiableSortedMap(new TreeMap<>(Map.of("a", 1)));
        final Set<String> unmodifiableNavigableSet = Collections.unmodifiableNavigableSet(new TreeSet<>(Set.of("n")));
        final Map<String, Integer> unmodifiableNavigableMap = Collections.unmodifiableNavigableMap(new TreeMap<>(Map.of("n", 1)));
        final Collection<String> synchronizedCollection = Collections.synchronizedCollection(new ArrayList<>(List.of("c")));
        final List<String> synchronizedList = Collections.synchronizedList(new ArrayList<>(List.of("l")));
        final List<String> synchronizedLinkedList = Collections.synchronizedList(new java.util.LinkedList<>(List.of("l")));
        final Set<String> synchronizedSet = Collections.synchronizedSet(new HashSet<>(Set.of("s")));
        final Map<String, Integer> synchronizedMap = Collections.synchronizedMap(new HashMap<>(Map.of("m", 1)));
        final Set<String> synchronizedSortedSet = Collections.synchronizedSortedSet(new TreeSet<>(Set.of("a", "b")));
        final Map<String, Integer> synchronizedSortedMap = Collections.synchronizedSortedMap(new TreeMap<>(Map.of("a", 1)));
        final Set<String> synchronizedNavigableSet = Collections.synchronizedNavigableSet(new TreeSet<>(Set.of("n")));
        final Map<String, Integer> synchronizedNavigableMap = Collections.synchronizedNavigableMap(new TreeMap<>(Map.of("n", 1)));
        final List<String> emptyList = Collections.emptyList();
        final Set<String> emptySet = Collections.emptySet();
        final Map<String, Integer> emptyMap = Collections.emptyMap();
        final List<String> singletonList = Collections.singletonList("x");
        final Set<String> singleton = Collections.singleton("x");
        final Map<String, Integer> singletonMap = Collections.singletonMap("x", 1);
        final EnumMap<Kind, Integer> enumMap = new EnumMap<>(Map.of(Kind.GREEN, 2));
        final EnumMap<Kind, Integer> emptyEnumMap = new EnumMap<>(Kind.class);
        final EnumSet<Kind> enumSet = EnumSet.of(Kind.RED, Kind.BLUE);
        final EnumSet<Kind> emptyEnumSet = EnumSet.noneOf(Kind.class);
    }
}
