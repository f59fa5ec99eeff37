package dev.virgo.runtime.graph;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Round trips origin -> node -> origin inside one JVM. The node's per-thread class loader is simulated with the
 * test's own loader; the real peer class loader is exercised by the integration tests.
 */
class GraphCodecMergeTest
{
    private static final ClassLoader LOADER = GraphCodecMergeTest.class.getClassLoader();

    private final GraphCodec codec = new GraphCodec(1 << 20);

    /** Plays the node: copies the graph, runs {@code thread} on the copies, returns the final state. */
    private byte[] runOnNode(final Snapshot snapshot, final Consumer<Object[]> thread)
    {
        final Image image = codec.read(snapshot.bytes(), LOADER);
        thread.accept(image.roots());
        return image.finalState();
    }

    @Test
    void shouldWriteBackFieldsOfPackagePrivateClassWithoutNoArgConstructor()
    {
        final Account account = new Account("alice", 10);
        final Snapshot snapshot = codec.snapshot(new Object[]{account}, LOADER);

        final byte[] finalState = runOnNode(snapshot, roots ->
        {
            final Account copy = (Account)roots[0];
            assertNotSame(account, copy);
            assertEquals("alice", copy.owner);
            copy.balance = 25;
            copy.owner = "bob";
            copy.ratio = Double.NaN;
        });
        snapshot.mergeBack(finalState);

        assertEquals(25, account.balance);
        assertEquals("bob", account.owner);
        assertTrue(Double.isNaN(account.ratio));
    }

    @Test
    void shouldNotRunApplicationConstructorsWhenCopying()
    {
        Counted.constructed = 0;
        final Counted counted = new Counted();
        final Snapshot snapshot = codec.snapshot(new Object[]{counted}, LOADER);
        snapshot.mergeBack(runOnNode(snapshot, roots -> ((Counted)roots[0]).value = 3));

        assertEquals(1, Counted.constructed);
        assertEquals(3, counted.value);
    }

    @Test
    void shouldWriteBackOnlyChangedArrayElementsSoDisjointWritesOfTwoThreadsBothLand()
    {
        final int[] shared = new int[8];
        final Snapshot first = codec.snapshot(new Object[]{shared}, LOADER);
        final Snapshot second = codec.snapshot(new Object[]{shared}, LOADER);

        final byte[] firstState = runOnNode(first, roots ->
        {
            final int[] copy = (int[])roots[0];
            for (int i = 0; i < 4; i++)
            {
                copy[i] = i + 1;
            }
        });
        final byte[] secondState = runOnNode(second, roots ->
        {
            final int[] copy = (int[])roots[0];
            for (int i = 4; i < 8; i++)
            {
                copy[i] = i + 1;
            }
        });
        second.mergeBack(secondState);
        first.mergeBack(firstState);

        assertArrayEquals(new int[]{1, 2, 3, 4, 5, 6, 7, 8}, shared);
    }

    @Test
    void shouldKeepFieldChangedAtOriginAfterSnapshotWhenThreadDidNotTouchIt()
    {
        final Account account = new Account("alice", 10);
        final Snapshot snapshot = codec.snapshot(new Object[]{account}, LOADER);
        final byte[] finalState = runOnNode(snapshot, roots -> ((Account)roots[0]).balance = 11);

        account.owner = "changed-at-origin";
        snapshot.mergeBack(finalState);

        assertEquals("changed-at-origin", account.owner);
        assertEquals(11, account.balance);
    }

    @Test
    void shouldAttachNewObjectsWithTheirReferencesTranslatedToOriginals()
    {
        final Account account = new Account("alice", 1);
        final Link head = new Link(null, account);
        final Snapshot snapshot = codec.snapshot(new Object[]{head}, LOADER);

        snapshot.mergeBack(runOnNode(snapshot, roots ->
        {
            final Link copy = (Link)roots[0];
            final Link tail = new Link(null, copy.payload); // refers back to a snapshot object
            tail.next = copy;                                 // and to the root: a cycle through the original
            copy.next = tail;
        }));

        final Link added = head.next;
        assertTrue(added != null && added != head);
        assertSame(account, added.payload);
        assertSame(head, added.next);
    }

    @Test
    void shouldPreserveAliasingBetweenRoots()
    {
        final int[] data = {1, 2, 3};
        final Snapshot snapshot = codec.snapshot(new Object[]{data, new Link(null, data)}, LOADER);
        final Image image = codec.read(snapshot.bytes(), LOADER);

        final Object[] roots = image.roots();
        assertNotSame(data, roots[0]);
        assertSame(roots[0], ((Link)roots[1]).payload);
    }

    @Test
    void shouldWriteBackChangedListAndMapContentInPlace()
    {
        final Account alice = new Account("alice", 1);
        final List<Object> list = new ArrayList<>(List.of("a", alice));
        final Map<String, Object> map = new HashMap<>(Map.of("k", alice));
        final Snapshot snapshot = codec.snapshot(new Object[]{list, map}, LOADER);

        snapshot.mergeBack(runOnNode(snapshot, roots ->
        {
            @SuppressWarnings("unchecked") final List<Object> l = (List<Object>)roots[0];
            @SuppressWarnings("unchecked") final Map<String, Object> m = (Map<String, Object>)roots[1];
            l.add(new Account("carol", 3));
            l.add(l.get(1));
            m.put("n", m.get("k"));
        }));

        assertEquals(4, list.size());
        assertSame(alice, list.get(1));
        assertEquals("carol", ((Account)list.get(2)).owner);
        assertSame(alice, list.get(3));
        assertSame(alice, map.get("k"));
        assertSame(alice, map.get("n"));
    }

    @Test
    void shouldCopyThreadSubclassWithFieldsAndRunItAsAnUnstartedThread() throws InterruptedException
    {
        final int[] input = {1, 2, 3, 4};
        final SumWorker worker = new SumWorker(input);
        worker.setDaemon(true);
        final Snapshot snapshot = codec.snapshot(new Object[]{worker}, LOADER);

        final Image image = codec.read(snapshot.bytes(), LOADER);
        final SumWorker copy = (SumWorker)image.roots()[0];
        assertNotSame(worker, copy);
        assertEquals("sum-worker", copy.getName());
        assertTrue(copy.isDaemon());
        assertEquals(Thread.State.NEW, copy.getState());
        copy.start();
        copy.join();
        snapshot.mergeBack(image.finalState());

        assertEquals(10, worker.sum);
        assertEquals(Thread.State.NEW, worker.getState());
    }

    @Test
    void shouldRunThreadWhoseRunnableIsTheTarget() throws InterruptedException
    {
        final Account account = new Account("alice", 0);
        final Thread thread = new Thread(() -> account.balance = 0, "plain");
        final Box box = new Box();
        final Thread withTarget = new Thread(box, "with-target");
        final Snapshot snapshot = codec.snapshot(new Object[]{withTarget}, LOADER);

        final Image image = codec.read(snapshot.bytes(), LOADER);
        final Thread copy = (Thread)image.roots()[0];
        assertEquals("with-target", copy.getName());
        copy.start();
        copy.join();
        snapshot.mergeBack(image.finalState());

        assertEquals(1, box.runs);
        assertEquals("plain", thread.getName());
    }

    @Test
    void shouldRoundTripSerializableLambdaAndWriteBackItsCapturedArray()
    {
        final int[] out = new int[3];
        final Runnable task = (Runnable & Serializable)() -> out[1] = 42;
        final Snapshot snapshot = codec.snapshot(new Object[]{task}, LOADER);

        snapshot.mergeBack(runOnNode(snapshot, roots -> ((Runnable)roots[0]).run()));

        assertArrayEquals(new int[]{0, 42, 0}, out);
    }

    @Test
    void shouldWriteBackReplacedStaticHolderElementsAndKeepIdentityOfUnchangedOnes()
    {
        final int[] table = {0, 0};
        final Account config = new Account("config", 0);
        final Object[] statics = {table, "v1", 7, config};
        final Snapshot snapshot = codec.snapshot(new Object[]{statics}, LOADER);

        snapshot.mergeBack(runOnNode(snapshot, roots ->
        {
            final Object[] s = (Object[])roots[0];
            ((int[])s[0])[1] = 5;
            s[1] = "v2";
            s[2] = 8;
        }));

        assertSame(table, statics[0]);
        assertArrayEquals(new int[]{0, 5}, table);
        assertEquals("v2", statics[1]);
        assertEquals(8, statics[2]);
        assertSame(config, statics[3]);
    }

    @Test
    void shouldWriteBackNullingOfAField()
    {
        final Link link = new Link(null, new Account("x", 1));
        final Snapshot snapshot = codec.snapshot(new Object[]{link}, LOADER);
        snapshot.mergeBack(runOnNode(snapshot, roots -> ((Link)roots[0]).payload = null));
        assertNull(link.payload);
    }

    static final class Account
    {
        String owner;
        int balance;
        double ratio;

        Account(final String owner, final int balance)
        {
            this.owner = owner;
            this.balance = balance;
        }
    }

    static final class Counted
    {
        static int constructed;
        int value;

        Counted()
        {
            constructed++;
        }
    }

    static final class Link
    {
        Link next;
        Object payload;

        Link(final Link next, final Object payload)
        {
            this.next = next;
            this.payload = payload;
        }
    }

    static final class Box implements Runnable
    {
        int runs;

        @Override
        public void run()
        {
            runs++;
        }
    }

    static final class SumWorker extends Thread
    {
        private final int[] input;
        long sum;

        SumWorker(final int[] input)
        {
            super("sum-worker");
            this.input = input;
        }

        @Override
        public void run()
        {
            for (final int value : input)
            {
                sum += value;
            }
        }
    }
}
