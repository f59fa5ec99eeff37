package dev.virgo.runtime.graph;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Exchanger;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicStampedReference;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;
import java.util.function.LongBinaryOperator;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Atomics and locks the thread created on its node and left in its graph come back by value at the merge (an
 * atomic's value, a fresh unlocked lock). A lock the node itself still held cannot be handed over and says so. An
 * atomic of the snapshot is the origin's: its node copy is a stand-in whose value each acquire refreshes.
 */
class CreatedSynchronizersTest
{
    private static final ClassLoader LOADER = CreatedSynchronizersTest.class.getClassLoader();

    private final GraphCodec codec = new GraphCodec(1 << 20);

    @Test
    void shouldAttachAtomicsAndLocksTheThreadCreatedByValue()
    {
        final Worker worker = new Worker();
        final Snapshot snapshot = codec.snapshot(new Object[]{worker}, LOADER);
        final Image image = codec.read(snapshot.bytes(), LOADER);
        final Worker copy = (Worker)image.roots()[0];
        copy.counter = new AtomicInteger(5);
        copy.counter.incrementAndGet();
        copy.total = new AtomicLong(1L << 40);
        copy.done = new AtomicBoolean(true);
        copy.latest = new AtomicReference<>(copy.results);
        copy.hits = new LongAdder();
        copy.hits.add(3);
        copy.lock = new ReentrantLock(true);
        copy.lock.lock();
        copy.lock.unlock();
        copy.readWrite = new ReentrantReadWriteLock();
        copy.results.add("seen");

        snapshot.mergeBack(image.finalState());

        assertEquals(6, worker.counter.get());
        assertEquals(1L << 40, worker.total.get());
        assertTrue(worker.done.get());
        assertSame(worker.results, worker.latest.get(), "the reference leads to the origin's own list");
        assertEquals(List.of("seen"), worker.results);
        assertEquals(3, worker.hits.sum());
        assertTrue(worker.lock.isFair());
        assertFalse(worker.lock.isLocked());
        assertTrue(worker.lock.tryLock(), "a fresh lock the origin can use");
        assertFalse(worker.readWrite.isWriteLocked());
    }

    @Test
    void shouldRefuseALockTheThreadStillHeldWhenItEnded()
    {
        final Worker worker = new Worker();
        final Snapshot snapshot = codec.snapshot(new Object[]{worker}, LOADER);
        final Image image = codec.read(snapshot.bytes(), LOADER);
        final Worker copy = (Worker)image.roots()[0];
        copy.lock = new ReentrantLock();
        copy.lock.lock();

        final UnshippableGraphException ex = assertThrows(UnshippableGraphException.class, image::finalState);

        assertTrue(ex.getMessage().contains("a lock this node holds itself"), ex.getMessage());
    }

    @Test
    void shouldAttachAStampedLockAndAnExchangerTheThreadCreatedAndRefuseAStampedLockItStillHeld()
    {
        final Worker worker = new Worker();
        final Snapshot snapshot = codec.snapshot(new Object[]{worker}, LOADER);
        final Image image = codec.read(snapshot.bytes(), LOADER);
        final Worker copy = (Worker)image.roots()[0];
        copy.stamped = new StampedLock();
        copy.stamped.unlockRead(copy.stamped.readLock());
        copy.exchanger = new Exchanger<>();

        snapshot.mergeBack(image.finalState());

        assertNotNull(worker.exchanger);
        assertTrue(worker.stamped.tryWriteLock() != 0, "a fresh stamped lock the origin can use");

        final Image held = codec.read(codec.snapshot(new Object[]{new Worker()}, LOADER).bytes(), LOADER);
        final Worker heldCopy = (Worker)held.roots()[0];
        heldCopy.stamped = new StampedLock();
        heldCopy.stamped.tryOptimisticRead();
        heldCopy.stamped.readLock(); // the thread ends still holding a read stamp

        final UnshippableGraphException ex = assertThrows(UnshippableGraphException.class, held::finalState);

        assertTrue(ex.getMessage().contains("a lock this node holds itself"), ex.getMessage());
    }

    @Test
    void shouldAttachAnAccumulatorTheThreadCreatedWithItsFunction()
    {
        final Worker worker = new Worker();
        final Snapshot snapshot = codec.snapshot(new Object[]{worker}, LOADER);
        final Image image = codec.read(snapshot.bytes(), LOADER);
        final Worker copy = (Worker)image.roots()[0];
        // On a node every lambda is serializable (SerializableLambdaRewriter); here, one written so.
        copy.max = new LongAccumulator((LongBinaryOperator & Serializable)Math::max, Long.MIN_VALUE);
        copy.max.accumulate(7);
        copy.max.accumulate(3);

        snapshot.mergeBack(image.finalState());

        assertEquals(7, worker.max.get());
        worker.max.accumulate(11);
        assertEquals(11, worker.max.get(), "the function came with it: the origin can accumulate");
        worker.max.reset();
        assertEquals(Long.MIN_VALUE, worker.max.get(), "and its identity");
    }

    @Test
    void shouldBringTheOriginsValueOfASharedAtomicToTheNodeAndNeverWriteTheNodesStandInBack()
    {
        final Worker worker = new Worker();
        worker.counter = new AtomicInteger(1);
        worker.latest = new AtomicReference<>(worker.results);
        worker.max = new LongAccumulator(Math::max, 0);
        final Snapshot snapshot = codec.snapshot(new Object[]{worker}, LOADER);
        final HomeGraph home = new HomeGraph(snapshot);
        final Image image = codec.read(snapshot.bytes(), LOADER);
        final Worker copy = (Worker)image.roots()[0];
        assertEquals(1, copy.counter.get());
        assertSame(copy.results, copy.latest.get());

        worker.counter.addAndGet(41); // calls on it are made here, on the real one
        final ArrayList<String> replaced = new ArrayList<>(List.of("origin's"));
        worker.latest.set(replaced);
        worker.top.set(replaced, 3);
        worker.max.accumulate(99);
        image.acquire(home.acquire(), "test", warning -> { throw new AssertionError(warning); });
        assertEquals(99, copy.max.get(), "an accumulator's stand-in too");
        assertEquals(42, copy.counter.get(), "the stand-in shows the value as of the acquire");
        assertEquals(List.of("origin's"), copy.latest.get());
        final int[] stamp = new int[1];
        assertSame(copy.latest.get(), copy.top.get(stamp), "the reference and its stamp, as one pair");
        assertEquals(3, stamp[0]);

        worker.counter.incrementAndGet(); // the origin moves on; the node releases its unchanged stand-in
        home.release(image.release(), "test", warning -> { throw new AssertionError(warning); }, () -> { });
        assertEquals(43, worker.counter.get(), "a release never writes a stand-in's stale value back");
        assertSame(replaced, worker.latest.get());
        assertSame(replaced, worker.top.getReference(), "nor a stamped reference's");
        assertEquals(3, worker.top.getStamp());
        assertEquals(99, worker.max.get());
        worker.max.accumulate(5);
        assertEquals(99, worker.max.get(), "the origin's accumulator keeps its own function");
    }

    static final class Worker
    {
        final ArrayList<String> results = new ArrayList<>();
        AtomicInteger counter;
        AtomicLong total;
        AtomicBoolean done;
        AtomicReference<List<String>> latest;
        LongAdder hits;
        ReentrantLock lock;
        ReentrantReadWriteLock readWrite;
        final AtomicStampedReference<List<String>> top = new AtomicStampedReference<>(null, 0);
        LongAccumulator max;
        StampedLock stamped;
        Exchanger<String> exchanger;
    }
}
