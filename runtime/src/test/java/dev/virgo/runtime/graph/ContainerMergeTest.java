package dev.virgo.runtime.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JDK container reached by two moved threads, and written by the origin after both started, merges what each
 * thread changed relative to start(): every writer's change survives, and a real conflict (two writers changed
 * one key or position) is won by the thread merged last, with one warning per merge naming the container class,
 * the key or position and the thread. Each test snapshots twice from the same originals (two threads started
 * before either ended), runs both "nodes", then merges in the order the threads end.
 */
class ContainerMergeTest
{
    private static final ClassLoader LOADER = ContainerMergeTest.class.getClassLoader();

    private final GraphCodec codec = new GraphCodec(1 << 22);
    private final List<String> warnings = new ArrayList<>();

    private byte[] runOnNode(final Snapshot snapshot, final Consumer<Object[]> thread)
    {
        final Image image = codec.read(snapshot.bytes(), LOADER);
        thread.accept(image.roots());
        return image.finalState();
    }

    private void merge(final Snapshot snapshot, final byte[] finalState, final String thread)
    {
        snapshot.mergeBack(finalState, thread, warnings::add);
    }

    @SuppressWarnings("unchecked")
    private static <T> T root(final Object[] roots)
    {
        return (T)roots[0];
    }

    @Test
    void shouldKeepEveryKeyWhenTwoThreadsAndTheOriginPutDistinctKeysIntoAConcurrentHashMap()
    {
        final ConcurrentHashMap<String, Integer> map = new ConcurrentHashMap<>(Map.of("before", 0));
        final Snapshot first = codec.snapshot(new Object[]{map}, LOADER);
        final Snapshot second = codec.snapshot(new Object[]{map}, LOADER);
        map.put("main", -1); // after both start()s, before either join()

        final byte[] firstState = runOnNode(first, roots -> putAll(root(roots), "a", 50));
        final byte[] secondState = runOnNode(second, roots -> putAll(root(roots), "b", 50));
        merge(first, firstState, "thread 'a'");
        merge(second, secondState, "thread 'b'");

        assertEquals(102, map.size(), map.keySet().toString());
        assertEquals(49, map.get("a49"));
        assertEquals(49, map.get("b49"));
        assertEquals(-1, map.get("main"));
        assertEquals(List.of(), warnings);
    }

    @Test
    void shouldLandOneThreadsRemovalAndReplacementBesideTheOtherThreadsAndTheOriginsPuts()
    {
        final HashMap<String, String> map = new HashMap<>(Map.of("gone", "x", "kept", "y", "changed", "old"));
        final Snapshot first = codec.snapshot(new Object[]{map}, LOADER);
        final Snapshot second = codec.snapshot(new Object[]{map}, LOADER);
        map.put("main", "m");

        final byte[] firstState = runOnNode(first, roots ->
        {
            final Map<String, String> m = root(roots);
            m.remove("gone");
            m.put("changed", "new");
        });
        final byte[] secondState = runOnNode(second, roots -> ((Map<String, String>)root(roots)).put("second", "s"));
        merge(second, secondState, "thread 'second'");
        merge(first, firstState, "thread 'first'");

        assertEquals(Map.of("kept", "y", "changed", "new", "main", "m", "second", "s"), map);
        assertEquals(List.of(), warnings);
    }

    @Test
    void shouldLetTheThreadMergedLastWinAConflictAndWarnOnceNamingClassKeyAndThread()
    {
        final ConcurrentHashMap<String, Integer> map = new ConcurrentHashMap<>();
        final Snapshot first = codec.snapshot(new Object[]{map}, LOADER);
        final Snapshot second = codec.snapshot(new Object[]{map}, LOADER);

        final byte[] firstState = runOnNode(first, roots -> putAll(root(roots), "k", 10));
        final byte[] secondState = runOnNode(second, roots ->
        {
            final Map<String, Integer> m = root(roots);
            for (int i = 0; i < 10; i++)
            {
                m.put("k" + i, 100 + i);
            }
        });
        merge(first, firstState, "thread 'first' (id 1) on node-1");
        assertEquals(List.of(), warnings, "the first writer conflicts with no one");
        merge(second, secondState, "thread 'second' (id 2) on node-2");

        assertEquals(10, map.size());
        assertEquals(105, map.get("k5"), "last writer wins");
        assertEquals(1, warnings.size(), "one warning per merge, not per key: " + warnings);
        final String warning = warnings.get(0);
        assertTrue(warning.startsWith("thread 'second' (id 2) on node-2 "), warning);
        assertTrue(warning.contains("java.util.concurrent.ConcurrentHashMap key \"k"), warning);
        assertTrue(warning.contains("(and 9 more)"), warning);
        assertTrue(warning.contains("last writer wins"), warning);
    }

    @Test
    void shouldRemoveAKeyTheOriginChangedMeanwhileAndSaySo()
    {
        final HashMap<String, Integer> map = new HashMap<>(Map.of("job", 1, "other", 2));
        final Snapshot snapshot = codec.snapshot(new Object[]{map}, LOADER);
        map.put("job", 10);

        merge(snapshot, runOnNode(snapshot, roots -> ((Map<String, Integer>)root(roots)).remove("job")), "thread 't'");

        assertEquals(Map.of("other", 2), map, "the thread's removal is the last write");
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("java.util.HashMap key \"job\""), warnings.get(0));
    }

    @Test
    void shouldAttachAContainerTheThreadCreatedWithOriginalsInIt()
    {
        final GraphCodecMergeTest.Account alice = new GraphCodecMergeTest.Account("alice", 1);
        final GraphCodecMergeTest.Link link = new GraphCodecMergeTest.Link(null, alice);
        final Snapshot snapshot = codec.snapshot(new Object[]{link}, LOADER);

        merge(snapshot, runOnNode(snapshot, roots ->
        {
            final GraphCodecMergeTest.Link copy = root(roots);
            final HashMap<Object, List<Object>> index = new HashMap<>();
            index.put(copy.payload, new ArrayList<>(List.of(copy.payload, "x")));
            copy.payload = index;
        }), "thread 't'");

        final Map<?, ?> index = (Map<?, ?>)link.payload;
        assertSame(alice, index.keySet().iterator().next());
        assertSame(alice, ((List<?>)index.get(alice)).get(0));
        assertEquals(List.of(), warnings);
    }

    @Test
    void shouldTranslateSnapshotKeysToOriginalsAndAdoptNewValues()
    {
        final GraphCodecMergeTest.Account alice = new GraphCodecMergeTest.Account("alice", 1);
        final GraphCodecMergeTest.Account bob = new GraphCodecMergeTest.Account("bob", 2);
        final HashMap<Object, Object> map = new HashMap<>();
        map.put(alice, "a");
        final Snapshot snapshot = codec.snapshot(new Object[]{map, bob}, LOADER);

        merge(snapshot, runOnNode(snapshot, roots ->
        {
            final Map<Object, Object> m = root(roots);
            final Object bobCopy = roots[1];
            final Object aliceCopy = m.keySet().iterator().next();
            m.put(aliceCopy, new GraphCodecMergeTest.Link(null, bobCopy));
            m.put(bobCopy, "b");
        }), "thread 't'");

        assertEquals(2, map.size());
        final GraphCodecMergeTest.Link link = (GraphCodecMergeTest.Link)map.get(alice);
        assertNotNull(link, "the value of the original key was replaced");
        assertSame(bob, link.payload, "the new value refers to the original, not to the copy");
        assertEquals("b", map.get(bob));
    }

    @Test
    void shouldKeepATreeMapsComparatorAndALinkedHashMapsOrder()
    {
        final TreeMap<String, Integer> tree = new TreeMap<>(Comparator.reverseOrder());
        tree.put("m", 0);
        final LinkedHashMap<String, Integer> linked = new LinkedHashMap<>();
        linked.put("first", 1);
        linked.put("second", 2);
        final Snapshot first = codec.snapshot(new Object[]{tree, linked}, LOADER);
        final Snapshot second = codec.snapshot(new Object[]{tree, linked}, LOADER);
        linked.put("main", 0);

        final byte[] firstState = runOnNode(first, roots ->
        {
            ((Map<String, Integer>)roots[0]).put("a", 1);
            ((Map<String, Integer>)roots[1]).put("x", 3);
            ((Map<String, Integer>)roots[1]).put("y", 4);
        });
        final byte[] secondState = runOnNode(second, roots ->
        {
            ((Map<String, Integer>)roots[0]).put("z", 2);
            ((Map<String, Integer>)roots[1]).remove("first");
        });
        merge(first, firstState, "thread 'first'");
        merge(second, secondState, "thread 'second'");

        assertEquals(List.of("z", "m", "a"), new ArrayList<>(tree.keySet()));
        assertEquals(List.of("second", "main", "x", "y"), new ArrayList<>(linked.keySet()));
        assertEquals(List.of(), warnings);
    }

    @Test
    void shouldMergeSetAdditionsAndRemovalsOfTwoThreadsWithoutConflict()
    {
        final HashSet<String> set = new HashSet<>(Set.of("old", "both-remove"));
        final Snapshot first = codec.snapshot(new Object[]{set}, LOADER);
        final Snapshot second = codec.snapshot(new Object[]{set}, LOADER);
        set.add("main");

        final byte[] firstState = runOnNode(first, roots ->
        {
            final Set<String> s = root(roots);
            s.add("a");
            s.add("same");
            s.remove("old");
            s.remove("both-remove");
        });
        final byte[] secondState = runOnNode(second, roots ->
        {
            final Set<String> s = root(roots);
            s.add("b");
            s.add("same");
            s.remove("both-remove");
        });
        merge(first, firstState, "thread 'first'");
        merge(second, secondState, "thread 'second'");

        assertEquals(Set.of("main", "a", "b", "same"), set);
        assertEquals(List.of(), warnings, "a set gives one result whoever adds or removes first");
    }

    @Test
    void shouldKeepAppendsOfTwoThreadsAndTheOriginInAnArrayList()
    {
        final ArrayList<String> list = new ArrayList<>(List.of("start"));
        final Snapshot first = codec.snapshot(new Object[]{list}, LOADER);
        final Snapshot second = codec.snapshot(new Object[]{list}, LOADER);
        list.add("main");

        final byte[] firstState = runOnNode(first, roots -> addAll(root(roots), "a", 3));
        final byte[] secondState = runOnNode(second, roots -> addAll(root(roots), "b", 3));
        merge(first, firstState, "thread 'first'");
        merge(second, secondState, "thread 'second'");

        assertEquals(List.of("start", "main", "a0", "a1", "a2", "b0", "b1", "b2"), list);
        assertEquals(List.of(), warnings);
    }

    @Test
    void shouldSetDisjointPositionsOfTwoThreadsAndWarnWhenBothSetOnePosition()
    {
        final ArrayList<Integer> list = new ArrayList<>(Collections.nCopies(6, 0));
        final Snapshot first = codec.snapshot(new Object[]{list}, LOADER);
        final Snapshot second = codec.snapshot(new Object[]{list}, LOADER);

        final byte[] firstState = runOnNode(first, roots ->
        {
            final List<Integer> l = root(roots);
            l.set(0, 10);
            l.set(1, 11);
            l.set(4, 14);
        });
        final byte[] secondState = runOnNode(second, roots ->
        {
            final List<Integer> l = root(roots);
            l.set(2, 22);
            l.set(3, 23);
            l.set(4, 24);
        });
        merge(first, firstState, "thread 'first'");
        merge(second, secondState, "thread 'second'");

        assertEquals(List.of(10, 11, 22, 23, 24, 0), list);
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("thread 'second' "), warnings.get(0));
        assertTrue(warnings.get(0).contains("java.util.ArrayList index 4"), warnings.get(0));
    }

    @Test
    void shouldLandARemovalAndAnInsertionOfOneThreadWhileAnotherAppends()
    {
        final LinkedList<String> linked = new LinkedList<>(List.of("a", "b", "c", "d"));
        final CopyOnWriteArrayList<String> copyOnWrite = new CopyOnWriteArrayList<>(List.of("a", "b", "c", "d"));
        final Snapshot first = codec.snapshot(new Object[]{linked, copyOnWrite}, LOADER);
        final Snapshot second = codec.snapshot(new Object[]{linked, copyOnWrite}, LOADER);
        copyOnWrite.add(0, "main"); // the origin inserts at the head

        final byte[] firstState = runOnNode(first, roots ->
        {
            for (int r = 0; r < 2; r++)
            {
                final List<String> l = (List<String>)roots[r];
                l.remove("b");
                l.add(2, "inserted"); // before "d"
            }
        });
        final byte[] secondState = runOnNode(second, roots ->
        {
            ((List<String>)roots[0]).add("appended");
            ((List<String>)roots[1]).add("appended");
        });
        merge(second, secondState, "thread 'second'");
        merge(first, firstState, "thread 'first'");

        assertEquals(List.of("a", "c", "inserted", "d", "appended"), linked);
        assertEquals(List.of("main", "a", "c", "inserted", "d", "appended"), copyOnWrite);
        assertEquals(List.of(), warnings);
    }

    @Test
    void shouldTakeFromTheHeadAndAddAtTheTailOfAQueue()
    {
        final ArrayDeque<String> queue = new ArrayDeque<>(List.of("job1", "job2", "job3"));
        final Snapshot first = codec.snapshot(new Object[]{queue}, LOADER);
        final Snapshot second = codec.snapshot(new Object[]{queue}, LOADER);
        queue.offer("main");

        final byte[] firstState = runOnNode(first, roots ->
        {
            final ArrayDeque<String> q = root(roots);
            assertEquals("job1", q.poll());
            q.offer("result1");
        });
        final byte[] secondState = runOnNode(second, roots ->
        {
            final ArrayDeque<String> q = root(roots);
            q.removeLastOccurrence("job3");
            q.offer("result2");
        });
        merge(first, firstState, "thread 'first'");
        merge(second, secondState, "thread 'second'");

        assertEquals(List.of("job2", "main", "result1", "result2"), new ArrayList<>(queue));
        assertEquals(List.of(), warnings);
    }

    @Test
    void shouldPushAtTheHeadOfADequeWhatTheThreadPushedThere()
    {
        final ArrayDeque<String> stack = new ArrayDeque<>(List.of("bottom"));
        final Snapshot snapshot = codec.snapshot(new Object[]{stack}, LOADER);
        stack.push("main");

        merge(snapshot, runOnNode(snapshot, roots ->
        {
            final ArrayDeque<String> s = root(roots);
            s.push("p1");
            s.push("p2");
        }), "thread 't'");

        assertEquals(List.of("p2", "p1", "main", "bottom"), new ArrayList<>(stack));
    }

    @Test
    void shouldAddToAPriorityQueueInItsOwnOrder()
    {
        final PriorityQueue<Integer> queue = new PriorityQueue<>(List.of(5, 1));
        final Snapshot snapshot = codec.snapshot(new Object[]{queue}, LOADER);
        queue.add(3);

        merge(snapshot, runOnNode(snapshot, roots ->
        {
            final PriorityQueue<Integer> q = root(roots);
            assertEquals(1, q.poll());
            q.add(0);
        }), "thread 't'");

        final ArrayList<Integer> drained = new ArrayList<>();
        while (!queue.isEmpty())
        {
            drained.add(queue.poll());
        }
        assertEquals(List.of(0, 3, 5), drained);
    }

    @Test
    void shouldWarnWhenTwoThreadsTookTheSameElementOfAQueue()
    {
        final ArrayDeque<String> queue = new ArrayDeque<>(List.of("job1", "job2"));
        final Snapshot first = codec.snapshot(new Object[]{queue}, LOADER);
        final Snapshot second = codec.snapshot(new Object[]{queue}, LOADER);

        final byte[] firstState = runOnNode(first, roots -> ((ArrayDeque<String>)root(roots)).poll());
        final byte[] secondState = runOnNode(second, roots -> ((ArrayDeque<String>)root(roots)).poll());
        merge(first, firstState, "thread 'first'");
        merge(second, secondState, "thread 'second'");

        assertEquals(List.of("job2"), new ArrayList<>(queue));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("java.util.ArrayDeque element \"job1\""), warnings.get(0));
        assertTrue(warnings.get(0).startsWith("thread 'second'"), warnings.get(0));
    }

    @Test
    void shouldNeverWriteAnImmutableListTheThreadCannotChange()
    {
        final List<String> immutable = List.of("x", "y");
        final Holder holder = new Holder(immutable);
        final Snapshot snapshot = codec.snapshot(new Object[]{holder}, LOADER);

        merge(snapshot, runOnNode(snapshot, roots ->
        {
            final Holder copy = root(roots);
            assertThrows(UnsupportedOperationException.class, () -> copy.items.add("z"));
            copy.count = copy.items.size();
        }), "thread 't'");

        assertSame(immutable, holder.items);
        assertEquals(2, holder.count);
        assertEquals(List.of(), warnings);
    }

    @Test
    void shouldSortAListPositionByPositionWhileTheOriginAppends()
    {
        final ArrayList<Integer> list = shuffled(3000);
        final Snapshot snapshot = codec.snapshot(new Object[]{list}, LOADER);
        list.add(-1);

        merge(snapshot, runOnNode(snapshot, roots -> Collections.sort(root(roots))), "thread 'sorter'");

        assertEquals(3001, list.size());
        for (int i = 0; i < 3000; i++)
        {
            assertEquals(i, list.get(i));
        }
        assertEquals(-1, list.get(3000));
        assertEquals(List.of(), warnings);
    }

    @Test
    void shouldWriteAListWholeAndSayWhoseWritesAreLostWhenBothChangedItBeyondTheDiff()
    {
        final ArrayList<Integer> list = shuffled(3000);
        final Snapshot snapshot = codec.snapshot(new Object[]{list}, LOADER);
        list.add(-1);

        merge(snapshot, runOnNode(snapshot, roots ->
        {
            final List<Integer> l = root(roots);
            Collections.sort(l);
            l.remove(0);
        }), "thread 'sorter'");

        assertEquals(2999, list.size(), "the thread's content, whole");
        assertEquals(1, list.get(0));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("thread 'sorter' changed java.util.ArrayList too much"), warnings.get(0));
        assertTrue(warnings.get(0).contains("writes to it since start() are lost"), warnings.get(0));
    }

    @Test
    void shouldWriteAListWholeWithoutWarningWhenOnlyTheThreadChangedItBeyondTheDiff()
    {
        final ArrayList<Integer> list = shuffled(3000);
        final Snapshot snapshot = codec.snapshot(new Object[]{list}, LOADER);

        merge(snapshot, runOnNode(snapshot, roots ->
        {
            final List<Integer> l = root(roots);
            Collections.sort(l);
            l.remove(0);
        }), "thread 'sorter'");

        assertEquals(2999, list.size());
        for (int i = 0; i < 2999; i++)
        {
            assertEquals(i + 1, list.get(i));
        }
        assertEquals(List.of(), warnings);
    }

    private static ArrayList<Integer> shuffled(final int size)
    {
        final ArrayList<Integer> list = new ArrayList<>();
        for (int i = 0; i < size; i++)
        {
            list.add(i);
        }
        Collections.shuffle(list, new Random(7));
        return list;
    }

    private static void putAll(final Map<String, Integer> map, final String prefix, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            map.put(prefix + i, i);
        }
    }

    private static void addAll(final List<String> list, final String prefix, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            list.add(prefix + i);
        }
    }

    static final class Holder
    {
        final List<String> items;
        int count;

        Holder(final List<String> items)
        {
            this.items = items;
        }
    }
}
