package dev.virgo.runtime.graph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The origin encodes concurrent collections while other threads change them: each encoding must read back as the
 * content of some moment, never as a misaligned stream.
 */
class ConcurrentCollectionsTest
{
    private static final ClassLoader LOADER = ConcurrentCollectionsTest.class.getClassLoader();
    private static final int ENCODINGS = 300;

    private final GraphCodec codec = new GraphCodec(1 << 22);

    @Test
    void shouldCopyTheJdksBlockingQueuesWithTheirContentCapacityAndOrder()
    {
        final LinkedBlockingQueue<String> linked = new LinkedBlockingQueue<>(8);
        linked.add("a");
        linked.add("b");
        final ArrayBlockingQueue<String> array = new ArrayBlockingQueue<>(3);
        array.add("c");
        final LinkedBlockingDeque<String> deque = new LinkedBlockingDeque<>();
        deque.addFirst("d");
        deque.addFirst("e");
        final PriorityBlockingQueue<String> priority = new PriorityBlockingQueue<>(4, Comparator.reverseOrder());
        priority.add("f");
        priority.add("h");
        priority.add("g");
        final LinkedTransferQueue<String> transfer = new LinkedTransferQueue<>(List.of("i"));
        final SynchronousQueue<String> synchronous = new SynchronousQueue<>();

        final Object[] copies = (Object[])codec.read(codec.snapshot(new Object[]{new Object[]{
            linked, array, deque, priority, transfer, synchronous}}, LOADER).bytes(), LOADER).roots()[0];

        assertEquals(LinkedBlockingQueue.class, copies[0].getClass());
        assertEquals(List.of("a", "b"), new ArrayList<>((LinkedBlockingQueue<?>)copies[0]));
        assertEquals(6, ((LinkedBlockingQueue<?>)copies[0]).remainingCapacity(), "capacity 8, 2 taken");
        assertEquals(ArrayBlockingQueue.class, copies[1].getClass());
        assertEquals(List.of("c"), new ArrayList<>((ArrayBlockingQueue<?>)copies[1]));
        assertEquals(2, ((ArrayBlockingQueue<?>)copies[1]).remainingCapacity(), "capacity 3, 1 taken");
        assertEquals(List.of("e", "d"), new ArrayList<>((LinkedBlockingDeque<?>)copies[2]), "a deque keeps its order");
        assertEquals(Integer.MAX_VALUE - 2, ((LinkedBlockingDeque<?>)copies[2]).remainingCapacity(), "unbounded");
        @SuppressWarnings("unchecked") final PriorityBlockingQueue<String> priorityCopy = (PriorityBlockingQueue<String>)copies[3];
        assertTrue(priorityCopy.comparator().compare("a", "b") > 0, "the copy keeps its comparator's order");
        assertEquals("h", priorityCopy.poll(), "ordered by its comparator");
        assertEquals(List.of("i"), new ArrayList<>((LinkedTransferQueue<?>)copies[4]));
        assertEquals(SynchronousQueue.class, copies[5].getClass());
    }

    @Test
    void shouldEncodeAQueueAndAMapThatAnotherThreadChangesMeanwhile() throws InterruptedException
    {
        final ConcurrentLinkedQueue<Integer> queue = new ConcurrentLinkedQueue<>();
        final ConcurrentHashMap<Integer, String> map = new ConcurrentHashMap<>();
        final AtomicBoolean stop = new AtomicBoolean();
        final long[] changes = new long[1];
        final Thread changer = new Thread(() ->
        {
            int next = 0;
            while (!stop.get())
            {
                queue.offer(next);
                map.put(next % 512, "v" + next);
                if (next >= 64)
                {
                    queue.poll(); // about 64 elements, always changing
                }
                if (next % 3 == 0)
                {
                    map.remove((next / 3) % 512);
                }
                next++;
                changes[0] = next;
            }
        });
        changer.start();
        try
        {
            for (int i = 0; i < ENCODINGS; i++)
            {
                final Object[] copies = (Object[])codec.read(
                    codec.snapshot(new Object[]{new Object[]{queue, map}}, LOADER).bytes(), LOADER).roots()[0];
                final List<Integer> seen = new ArrayList<>((ConcurrentLinkedQueue<Integer>)copies[0]);
                for (int j = 1; j < seen.size(); j++)
                {
                    assertTrue(seen.get(j) > seen.get(j - 1), "a queue's order survives: " + seen);
                }
                for (final Map.Entry<Integer, String> entry : ((ConcurrentHashMap<Integer, String>)copies[1]).entrySet())
                {
                    assertEquals(entry.getKey(), Integer.parseInt(entry.getValue().substring(1)) % 512);
                }
            }
        }
        finally
        {
            stop.set(true);
            changer.join();
        }
        assertTrue(changes[0] > ENCODINGS, "the collections changed while they were encoded: " + changes[0]);
    }

    @Test
    void shouldKeepTheComparatorOfASkipListAndTheClassOfEach()
    {
        final ConcurrentSkipListSet<String> set = new ConcurrentSkipListSet<>(Comparator.reverseOrder());
        set.addAll(List.of("a", "c", "b"));
        final ConcurrentSkipListMap<String, Integer> map = new ConcurrentSkipListMap<>(Comparator.reverseOrder());
        map.put("x", 1);
        map.put("z", 2);
        final CopyOnWriteArrayList<String> list = new CopyOnWriteArrayList<>(List.of("q", "r"));

        final Object[] copies = (Object[])codec.read(
            codec.snapshot(new Object[]{new Object[]{set, map, list}}, LOADER).bytes(), LOADER).roots()[0];

        assertEquals(List.of("c", "b", "a"), new ArrayList<>((ConcurrentSkipListSet<?>)copies[0]));
        assertEquals(List.of("z", "x"), new ArrayList<>(((ConcurrentSkipListMap<?, ?>)copies[1]).keySet()));
        assertEquals(list, copies[2]);
        assertEquals(CopyOnWriteArrayList.class, copies[2].getClass());
    }
}
