package dev.virgo.runtime.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Releases and acquires between an origin's {@link HomeGraph} and a node's {@link Image} inside one JVM: what one side
 * wrote since the last exchange reaches the other, what the other wrote and has not published stays, and objects
 * keep one identity across exchanges whichever side created them.
 */
class SharedTableTest
{
    private static final ClassLoader LOADER = SharedTableTest.class.getClassLoader();

    private final GraphCodec codec = new GraphCodec(1 << 20);

    static final class Cell
    {
        int value;
        String label;
        Cell next;
        volatile boolean ready;
    }

    static final class Board
    {
        final long[] counts = new long[4];
        final Map<String, Integer> tally = new HashMap<>();
        final List<Cell> cells = new ArrayList<>();
        Cell head;
    }

    @Test
    void shouldCarryEachSidesWritesAndKeepTheOtherSidesUnpublishedOnes()
    {
        final Board board = new Board();
        final Snapshot snapshot = codec.snapshot(new Object[]{board}, LOADER);
        final HomeGraph home = new HomeGraph(snapshot);
        final Image node = codec.read(snapshot.bytes(), LOADER);
        final Board copy = (Board)node.roots()[0];

        copy.counts[1] = 5;
        copy.tally.put("node", 1);
        home.release(node.release(), "test", warning -> { throw new AssertionError(warning); }, () -> {});
        assertEquals(5, board.counts[1]);
        assertEquals(Map.of("node", 1), board.tally);

        board.counts[2] = 7; // the origin's own write, after the release
        board.tally.put("origin", 2);
        copy.counts[3] = 9; // the node's, not yet published
        node.acquire(home.acquire(), "test", warning -> { throw new AssertionError(warning); });
        assertEquals(7, copy.counts[2]);
        assertEquals(9, copy.counts[3], "a write the node has not released stays");
        assertEquals(Map.of("node", 1, "origin", 2), copy.tally);
        assertEquals(0, board.counts[3]);

        home.release(node.release(), "test", warning -> { throw new AssertionError(warning); }, () -> {});
        assertEquals(9, board.counts[3]);
        assertEquals(7, board.counts[2]);
    }

    /**
     * A state equal to the receiver's twin changes nothing and is not decoded; but only when the twin carried no
     * extras and added no objects: the same bytes again after an exchange that added objects are a stale or replayed
     * state, refused as before.
     */
    @Test
    void shouldSkipAStateEqualToThePlainTwinAndRefuseOneThatAddedObjects()
    {
        final Board board = new Board();
        final Snapshot snapshot = codec.snapshot(new Object[]{board}, LOADER);
        final HomeGraph home = new HomeGraph(snapshot);
        final Image node = codec.read(snapshot.bytes(), LOADER);
        final Board copy = (Board)node.roots()[0];

        copy.counts[0] = 1;
        final byte[] first = node.release();
        home.release(first, "test", warning -> { throw new AssertionError(warning); }, () -> {});
        final byte[] unchanged = node.release();
        copy.counts[1] = 2; // the node's own write, not yet published
        assertNull(home.release(unchanged, "test", warning -> { throw new AssertionError(warning); }, () -> {}));
        node.acquire(home.acquire(), "test", warning -> { throw new AssertionError(warning); });
        assertEquals(2, copy.counts[1], "an acquire of an unchanged state leaves the node's own writes");
        assertEquals(1, board.counts[0]);

        copy.head = new Cell();
        final byte[] adding = node.release();
        home.release(adding, "test", warning -> { throw new AssertionError(warning); }, () -> {});
        assertThrows(dev.virgo.api.VirgoException.class,
            () -> home.release(adding, "test", warning -> { }, () -> {}),
            "the same state again after it added an object is not taken as unchanged");
    }

    static final class Ledger
    {
        Cell latest;
        java.util.concurrent.atomic.AtomicInteger counter;
        java.util.concurrent.ConcurrentHashMap<String, Integer> index;
    }

    /**
     * A refresh runs beside the thread, so it publishes a new plain object, but not a new atomic or concurrent map
     * (their calls go to the origin once shared, and the thread's call sites decide that by a guard, then act): those
     * wait for the thread's own next release, and the refresh with them.
     */
    @Test
    void shouldLeaveANewCarriedObjectToTheThreadsOwnRelease()
    {
        final Ledger ledger = new Ledger();
        final Snapshot snapshot = codec.snapshot(new Object[]{ledger}, LOADER);
        final HomeGraph home = new HomeGraph(snapshot);
        final Image node = codec.read(snapshot.bytes(), LOADER);
        final Ledger copy = (Ledger)node.roots()[0];

        final Cell cell = new Cell();
        copy.latest = cell;
        final byte[] refreshed = node.releaseIfChanged();
        assertTrue(refreshed.length > 0, "a new plain object goes with a refresh");
        home.release(refreshed, "test", warning -> { throw new AssertionError(warning); }, () -> {});
        assertTrue(node.identityOf(cell) >= 0);

        for (final Runnable created : List.<Runnable>of(
            () -> copy.counter = new java.util.concurrent.atomic.AtomicInteger(3),
            () -> copy.index = new java.util.concurrent.ConcurrentHashMap<>(Map.of("a", 1))))
        {
            created.run();
            cell.value++;
            assertEquals(0, node.releaseIfChanged().length, "a refresh leaves a new carried object alone");
        }
        assertEquals(-1, node.identityOf(copy.counter));
        assertEquals(-1, node.identityOf(copy.index));

        home.release(node.release(), "test", warning -> { throw new AssertionError(warning); }, () -> {});
        assertTrue(node.identityOf(copy.counter) >= 0 && node.identityOf(copy.index) >= 0,
            "the thread's own release publishes them");
        assertEquals(3, ledger.counter.get());
        assertEquals(2, ledger.latest.value, "and the writes the refreshes held back");
    }

    @Test
    void shouldKeepTheIdentityOfAnObjectTheNodeCreatedAcrossLaterReleases()
    {
        final Board board = new Board();
        final Snapshot snapshot = codec.snapshot(new Object[]{board}, LOADER);
        final HomeGraph home = new HomeGraph(snapshot);
        final Image node = codec.read(snapshot.bytes(), LOADER);
        final Board copy = (Board)node.roots()[0];

        final Cell created = new Cell();
        created.value = 1;
        copy.head = created;
        copy.cells.add(created);
        home.release(node.release(), "test", warning -> { }, () -> {});
        final Cell adopted = board.head;
        assertEquals(1, adopted.value);
        assertSame(adopted, board.cells.get(0), "one object, reached two ways");
        assertTrue(node.identityOf(created) >= 0, "published, so shared from now on");

        created.value = 2;
        created.label = "second";
        home.release(node.release(), "test", warning -> { }, () -> {});
        assertSame(adopted, board.head, "the same object, written in place");
        assertEquals(2, adopted.value);
        assertEquals("second", adopted.label);

        adopted.value = 3; // the origin writes it; the node's copy is the one it created
        node.acquire(home.acquire(), "test", warning -> { });
        assertSame(created, copy.head);
        assertEquals(3, created.value);
    }

    @Test
    void shouldKeepTheIdentityOfAnObjectTheOriginCreatedAcrossLaterAcquires()
    {
        final Board board = new Board();
        final Snapshot snapshot = codec.snapshot(new Object[]{board}, LOADER);
        final HomeGraph home = new HomeGraph(snapshot);
        final Image node = codec.read(snapshot.bytes(), LOADER);
        final Board copy = (Board)node.roots()[0];

        final Cell made = new Cell();
        made.value = 10;
        board.head = made;
        node.acquire(home.acquire(), "test", warning -> { });
        final Cell received = copy.head;
        assertNotSame(made, received);
        assertEquals(10, received.value);

        made.value = 11;
        node.acquire(home.acquire(), "test", warning -> { });
        assertSame(received, copy.head, "the node's copy is updated in place");
        assertEquals(11, received.value);

        received.value = 12;
        home.release(node.release(), "test", warning -> { }, () -> {});
        assertSame(made, board.head);
        assertEquals(12, made.value);
    }

    @Test
    void shouldRecomputeAReleaseTheOriginDidNotApplyAgainstTheTwinBeforeIt()
    {
        final Board board = new Board();
        final Snapshot snapshot = codec.snapshot(new Object[]{board}, LOADER);
        final HomeGraph home = new HomeGraph(snapshot);
        final Image node = codec.read(snapshot.bytes(), LOADER);
        final Board copy = (Board)node.roots()[0];

        copy.counts[0] = 1;
        copy.head = new Cell();
        node.release(); // lost: the origin never applied it
        node.undoRelease();
        assertEquals(-1, node.identityOf(copy.head), "not published after all");

        copy.counts[1] = 2;
        home.release(node.release(), "test", warning -> { throw new AssertionError(warning); }, () -> {});
        assertEquals(1, board.counts[0], "the write of the undone release travels with the next one");
        assertEquals(2, board.counts[1]);
        assertTrue(null != board.head);
        assertTrue(node.identityOf(copy.head) >= 0);
    }

    @Test
    void shouldWriteVolatileFieldsAfterEveryPlainWriteOfARelease()
    {
        final Cell cell = new Cell();
        final Snapshot snapshot = codec.snapshot(new Object[]{cell}, LOADER);
        final HomeGraph home = new HomeGraph(snapshot);
        final Image node = codec.read(snapshot.bytes(), LOADER);
        final Cell copy = (Cell)node.roots()[0];

        copy.value = 42;
        copy.ready = true;
        final AtomicReference<String> seenBeforeVolatiles = new AtomicReference<>();
        home.release(node.release(), "test", warning -> { },
            () -> seenBeforeVolatiles.set(cell.value + "/" + cell.ready));
        assertEquals("42/false", seenBeforeVolatiles.get(), "plain writes first, the volatile one after");
        assertTrue(cell.ready);
    }

    @Test
    void shouldMergeTwoThreadsDisjointWritesIntoOneObjectThroughTheirOwnTables()
    {
        final long[] shared = new long[4];
        final Snapshot first = codec.snapshot(new Object[]{shared}, LOADER);
        final Snapshot second = codec.snapshot(new Object[]{shared}, LOADER);
        final HomeGraph firstHome = new HomeGraph(first);
        final HomeGraph secondHome = new HomeGraph(second);
        final Image firstNode = codec.read(first.bytes(), LOADER);
        final Image secondNode = codec.read(second.bytes(), LOADER);

        ((long[])firstNode.roots()[0])[0] = 1;
        ((long[])secondNode.roots()[0])[1] = 2;
        firstHome.release(firstNode.release(), "first", warning -> { }, () -> {});
        secondHome.release(secondNode.release(), "second", warning -> { }, () -> {});
        assertEquals(1, shared[0]);
        assertEquals(2, shared[1]);

        secondNode.acquire(secondHome.acquire(), "second", warning -> { });
        assertEquals(1, ((long[])secondNode.roots()[0])[0], "the first thread's release reaches the second's acquire");
    }

    @Test
    void shouldCarryACallsArgumentsAndOutcomeAsEachSidesOwnObjects()
    {
        final Board board = new Board();
        board.head = new Cell();
        final Snapshot snapshot = codec.snapshot(new Object[]{board}, LOADER);
        final HomeGraph home = new HomeGraph(snapshot);
        final Image node = codec.read(snapshot.bytes(), LOADER);
        final Board copy = (Board)node.roots()[0];

        final Cell argument = new Cell(); // made on the node, reachable only from the call
        argument.label = "argument";
        argument.next = copy.head;
        final Object[] arguments = home.release(node.release(new Object[]{argument, copy.head, 7L}), "test",
            warning -> { throw new AssertionError(warning); }, () -> { });
        assertEquals("argument", ((Cell)arguments[0]).label);
        assertSame(board.head, ((Cell)arguments[0]).next, "a new object's references lead to the origin's objects");
        assertSame(board.head, arguments[1], "a shared object arrives as the origin's own");
        assertEquals(7L, arguments[2]);

        final Cell result = new Cell(); // made at the origin by the call
        result.next = (Cell)arguments[0];
        final Object[] outcome = node.acquire(home.acquire(new Object[]{result}), "test",
            warning -> { throw new AssertionError(warning); });
        assertSame(argument, ((Cell)outcome[0]).next, "the node's own object, not a copy of it");

        ((Cell)outcome[0]).value = 5; // both tables know both new objects, at the same places
        home.release(node.release(), "test", warning -> { throw new AssertionError(warning); }, () -> { });
        assertEquals(5, result.value);
    }
}
