package dev.virgo.runtime.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The origin writes the program's collections while the program's threads change them: what is written must always
 * read back whole (some moment's content), never a stream whose size and elements disagree.
 */
class PlainCollectionsTest
{
    private static final ClassLoader LOADER = PlainCollectionsTest.class.getClassLoader();

    private final GraphCodec codec = new GraphCodec(1 << 20);

    /** Says one more element than it iterates, as a collection another thread is adding to may between the two. */
    static final class GrowingList extends ArrayList<String>
    {
        GrowingList()
        {
            super();
        }

        GrowingList(final List<String> elements)
        {
            super(elements);
        }

        @Override
        public int size()
        {
            return super.size() + 1;
        }
    }

    @Test
    void shouldWriteACollectionWhoseSizeAndElementsDisagreeAsTheElementsItHas()
    {
        final Object[] graph = {new GrowingList(List.of("a", "b")), "after"};

        final Object[] copy = (Object[])codec.read(codec.snapshot(new Object[] {graph}, LOADER).bytes(), LOADER)
            .roots()[0];

        assertInstanceOf(GrowingList.class, copy[0]);
        assertEquals(List.of("a", "b"), new ArrayList<>((GrowingList)copy[0]));
        assertEquals("after", copy[1], "the stream after it is read where it was written");
    }

    @Test
    void shouldKeepTheComparatorsOfSortedCollectionsAndMaps()
    {
        final Comparator<String> reversed = Comparator.reverseOrder();
        final TreeSet<String> set = new TreeSet<>(reversed);
        set.addAll(List.of("a", "c", "b"));
        final TreeMap<String, Integer> map = new TreeMap<>(reversed);
        map.putAll(Map.of("a", 1, "c", 3));
        final PriorityQueue<String> queue = new PriorityQueue<>(reversed);
        queue.addAll(List.of("a", "c", "b"));

        final Object[] copy = (Object[])codec.read(codec.snapshot(new Object[] {new Object[] {set, map, queue}}, LOADER)
            .bytes(), LOADER).roots()[0];

        assertEquals(List.of("c", "b", "a"), new ArrayList<>((TreeSet<?>)copy[0]));
        assertEquals(List.of("c", "a"), new ArrayList<>(((TreeMap<?, ?>)copy[1]).keySet()));
        assertEquals("c", ((PriorityQueue<?>)copy[2]).peek());
    }

    static final class Mailbox
    {
        final ArrayDeque<Integer> jobs = new ArrayDeque<>();
        final HashMap<Integer, String> results = new HashMap<>();
        final long[] after = {42};
    }

    @Test
    void shouldReadBackEveryWriteOfCollectionsAnotherThreadIsChanging() throws InterruptedException
    {
        final Mailbox mailbox = new Mailbox();
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong changes = new AtomicLong();
        final Thread changer = new Thread(() ->
        {
            int i = 0;
            while (!stop.get())
            {
                mailbox.jobs.addLast(i);
                mailbox.results.put(i % 64, "r" + i);
                if (mailbox.jobs.size() > 32)
                {
                    mailbox.jobs.pollFirst();
                    mailbox.results.remove((i * 7) % 64);
                }
                i++;
                changes.incrementAndGet();
            }
        }, "changer");
        changer.start();
        int writesThatSawChanges = 0;
        try
        {
            final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            for (int write = 0; write < 2_000 && System.nanoTime() - until < 0; write++)
            {
                final long before = changes.get();
                final byte[] bytes;
                try
                {
                    bytes = codec.snapshot(new Object[] {mailbox}, LOADER).bytes();
                }
                catch (final RuntimeException ex)
                {
                    continue; // an element that a torn read of the deque made null, say: refused whole, not garbled
                }
                writesThatSawChanges += changes.get() != before ? 1 : 0;
                final Mailbox copy = (Mailbox)codec.read(bytes, LOADER).roots()[0];
                assertEquals(42, copy.after[0], "what follows the collections is read where it was written");
            }
        }
        finally
        {
            stop.set(true);
            changer.join(10_000);
        }
        assertTrue(writesThatSawChanges > 0, "the writes and the changes overlapped: " + writesThatSawChanges);
    }
}
