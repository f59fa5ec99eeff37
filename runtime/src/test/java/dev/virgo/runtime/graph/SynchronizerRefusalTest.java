package dev.virgo.runtime.graph;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Exchanger;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Phaser;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicMarkableReference;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.AtomicStampedReference;
import java.util.concurrent.atomic.DoubleAccumulator;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.concurrent.locks.StampedLock;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * State that threads synchronize through while they run is refused with a reason that says so, naming the field,
 * rather than copied (a copy would coordinate nothing) or failing on JDK internals closed to reflection.
 */
class SynchronizerRefusalTest
{
    private static final ClassLoader LOADER = SynchronizerRefusalTest.class.getClassLoader();

    private final GraphCodec codec = new GraphCodec(1 << 20);

    @Test
    void shouldRefuseSynchronizersAndBlockingQueuesNamingWhatTheyAre()
    {
        assertTrue(refusal(new StampedLock().asReadLock()).contains(": a lock other than ReentrantLock"),
            "a stamped lock's view is a lock of this JVM");
        assertTrue(refusal(new Mutex()).contains(": a synchronizer coordinates threads of this JVM"));
        assertTrue(refusal(new DelayQueue<Delayed>()).contains(": a blocking queue other than the JDK's"));
        assertTrue(refusal(new LinkedBlockingQueue<String>()
        {
        }).contains(": a blocking queue of a class of its own coordinates threads"), "a subclass of the JDK's");
        assertTrue(refusal(new CompletableFuture<String>()).contains(": futures are completed by threads"));
        assertTrue(refusal(new ExecutorCompletionService<String>(ForkJoinPool.commonPool()))
            .contains(": a completion service"));
    }

    @Test
    void shouldCarryTheSynchronizersWhoseCallsAreCarriedToTheOriginAsStandIns()
    {
        final AtomicReferenceArray<String> names = new AtomicReferenceArray<>(new String[]{"a", null});
        final Semaphore permits = new Semaphore(3, true);
        permits.acquireUninterruptibly();
        final ReentrantReadWriteLock readWrite = new ReentrantReadWriteLock(true);
        final List<Object> shared = List.of(new AtomicBoolean(true), new AtomicInteger(7), new AtomicLong(1L << 40),
            new AtomicReference<>("x"), new AtomicIntegerArray(new int[]{1, 2}), new AtomicLongArray(new long[]{3}),
            names, longAdder(5), new ReentrantLock(true), readWrite, readWrite.readLock(), readWrite.writeLock(),
            new ReentrantLock().newCondition(), permits, new CountDownLatch(4), new CyclicBarrier(3), new Phaser(2),
            new StampedLock(), new Exchanger<String>(), new AtomicMarkableReference<>("m", true),
            new AtomicStampedReference<>("s", 7), longMax(12), doubleSum(2.5),
            AtomicLongFieldUpdater.newUpdater(Counted.class, "count"));

        final Object[] copies = (Object[])codec.read(
            codec.snapshot(new Object[] {shared.toArray()}, LOADER).bytes(), LOADER).roots()[0];

        for (int i = 0; i < copies.length; i++)
        {
            assertEquals(shared.get(i).getClass(), copies[i].getClass());
        }
        assertTrue(((AtomicBoolean)copies[0]).get());
        assertEquals(7, ((AtomicInteger)copies[1]).get());
        assertEquals(1L << 40, ((AtomicLong)copies[2]).get());
        assertEquals("x", ((AtomicReference<?>)copies[3]).get());
        assertEquals("[1, 2]", copies[4].toString());
        assertEquals("[3]", copies[5].toString());
        assertEquals("[a, null]", copies[6].toString());
        assertEquals(5, ((LongAdder)copies[7]).sum());
        assertTrue(((ReentrantLock)copies[8]).isFair());
        assertTrue(((ReentrantReadWriteLock)copies[9]).isFair());
        assertEquals(2, ((Semaphore)copies[13]).availablePermits(), "a stand-in with the permits as they were");
        assertTrue(((Semaphore)copies[13]).isFair());
        assertEquals(4, ((CountDownLatch)copies[14]).getCount());
        assertEquals(3, ((CyclicBarrier)copies[15]).getParties());
        assertEquals(2, ((Phaser)copies[16]).getRegisteredParties());
        assertTrue(((StampedLock)copies[17]).tryWriteLock() != 0, "a fresh stand-in, never locked on the node");
        final boolean[] mark = new boolean[1];
        assertEquals("m", ((AtomicMarkableReference<?>)copies[19]).get(mark));
        assertTrue(mark[0]);
        final int[] stamp = new int[1];
        assertEquals("s", ((AtomicStampedReference<?>)copies[20]).get(stamp));
        assertEquals(7, stamp[0]);
        final LongAccumulator max = (LongAccumulator)copies[21];
        assertEquals(12, max.get(), "a stand-in with the value as it was");
        assertEquals("12", max.toString());
        final UnsupportedOperationException atTheOrigin =
            assertThrows(UnsupportedOperationException.class, () -> max.accumulate(20));
        assertTrue(atTheOrigin.getMessage().contains("shared with the origin, where its function is"),
            "this JVM's lambda stays here: the copy cannot accumulate, and says why");
        max.reset();
        assertEquals(Long.MIN_VALUE, max.get(), "its identity");
        assertEquals(2.5, ((DoubleAccumulator)copies[22]).get());
    }

    @Test
    void shouldRefuseASubclassOfASharedSynchronizer()
    {
        assertTrue(refusal(new ReentrantLock() { }).contains("a subclass of a java.util.concurrent class"));
    }

    private static LongAccumulator longMax(final long value)
    {
        final LongAccumulator max = new LongAccumulator(Math::max, Long.MIN_VALUE);
        max.accumulate(value);
        max.accumulate(value - 1);
        return max;
    }

    private static DoubleAccumulator doubleSum(final double value)
    {
        final DoubleAccumulator sum = new DoubleAccumulator(Double::sum, 0);
        sum.accumulate(value);
        return sum;
    }

    private static LongAdder longAdder(final long sum)
    {
        final LongAdder adder = new LongAdder();
        adder.add(sum);
        return adder;
    }

    @Test
    void shouldStillCopyConcurrentCollectionsThatDoNotBlock()
    {
        final ConcurrentHashMap<String, Integer> map = new ConcurrentHashMap<>();
        map.put("a", 1);
        final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>(List.of("q"));
        final CopyOnWriteArrayList<String> list = new CopyOnWriteArrayList<>(List.of("l"));

        final Image image = codec.read(codec.snapshot(new Object[] {map, queue, list}, LOADER).bytes(), LOADER);

        assertEquals(map, image.roots()[0]);
        assertEquals(List.of("q"), List.copyOf((ConcurrentLinkedQueue<?>)image.roots()[1]));
        assertEquals(list, image.roots()[2]);
    }

    @Test
    void shouldRefuseAConcurrentCollectionOfAClassOfItsOwn()
    {
        final String registry = refusal(new Registry());
        assertTrue(registry.contains(Registry.class.getName()) &&
            registry.contains(": a concurrent collection of a class of its own: its updates would change a copy"),
            registry);
        assertTrue(refusal(new ConcurrentLinkedQueue<String>()
        {
        }).contains(": a concurrent collection of a class of its own"), "an anonymous subclass of the JDK's");
    }

    /** A program's map with a field of its own, as registries are written. */
    static final class Registry extends ConcurrentHashMap<String, Integer>
    {
        String owner = "billing";
    }

    private String refusal(final Object held)
    {
        return assertThrows(UnshippableGraphException.class,
            () -> codec.snapshot(new Object[] {new Holder(held)}, LOADER)).getMessage();
    }

    static final class Holder
    {
        final Object held;

        Holder(final Object held)
        {
            this.held = held;
        }
    }

    static final class Counted
    {
        volatile long count;
    }

    /** A program's own synchronizer, built as the JDK's javadoc shows. */
    static final class Mutex extends AbstractQueuedSynchronizer
    {
        @Override
        protected boolean tryAcquire(final int ignored)
        {
            return compareAndSetState(0, 1);
        }
    }
}
