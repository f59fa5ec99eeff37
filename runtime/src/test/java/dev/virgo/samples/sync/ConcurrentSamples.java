package dev.virgo.samples.sync;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Phaser;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import java.util.function.LongUnaryOperator;
import java.util.function.ToIntFunction;

/**
 * Application code calling {@code java.util.concurrent} objects the ways programs do: atomics, locks through their
 * class and through {@code Lock}/{@code Condition}, latches, barriers, semaphores, phasers. A node rewrites each call
 * (ConcurrentSitesTest); the objects come in as arguments, so that a test decides which ones are shared.
 */
public final class ConcurrentSamples
{
    private ConcurrentSamples()
    {
    }

    /**
     * Collection calls as programs write them, through the collection interfaces: a node sends the updates of a shared
     * concurrent collection to the origin, whatever type the call names, and nothing else.
     */
    public static final class CollectionCalls
    {
        public Integer poll(final Queue<Integer> queue)
        {
            return queue.poll();
        }

        public void put(final BlockingQueue<Integer> queue, final int value) throws InterruptedException
        {
            queue.put(value);
        }

        public Integer merge(final Map<String, Integer> counts, final String word)
        {
            return counts.merge(word, 1, Integer::sum);
        }

        public int size(final Collection<Integer> collection)
        {
            return collection.size();
        }

        public boolean add(final List<Integer> list, final int value)
        {
            return list.add(value);
        }

        public Integer takeThroughMethodReference(final BlockingQueue<Integer> queue) throws Exception
        {
            final Callable<Integer> take = queue::take;
            return take.call();
        }
    }

    /** One call per method, returning what the call returned. */
    public static final class Calls
    {
        public int incrementAndGet(final AtomicInteger counter)
        {
            return counter.incrementAndGet();
        }

        public long addAndGet(final AtomicLong total, final long delta)
        {
            return total.addAndGet(delta);
        }

        public boolean compareAndSet(final AtomicBoolean flag, final boolean expected, final boolean update)
        {
            return flag.compareAndSet(expected, update);
        }

        public Object getAndSet(final AtomicReference<Object> reference, final Object value)
        {
            return reference.getAndSet(value);
        }

        public double addThenSum(final DoubleAdder adder, final double x)
        {
            adder.add(x);
            return adder.sum();
        }

        public long incrementThenSum(final LongAdder adder)
        {
            adder.increment();
            return adder.sum();
        }

        public String describe(final AtomicInteger counter)
        {
            return counter.toString();
        }

        public int hash(final AtomicInteger counter)
        {
            return counter.hashCode();
        }

        /** Locks and unlocks through the class, and reports whether the lock was held in between. */
        public boolean lockUnlock(final ReentrantLock lock)
        {
            lock.lock();
            try
            {
                return lock.isHeldByCurrentThread();
            }
            finally
            {
                lock.unlock();
            }
        }

        /** The same through the interface. */
        public void lockUnlockThroughInterface(final Lock lock, final Runnable inside)
        {
            lock.lock();
            try
            {
                inside.run();
            }
            finally
            {
                lock.unlock();
            }
        }

        public boolean tryLock(final Lock lock) throws InterruptedException
        {
            return lock.tryLock(5, TimeUnit.SECONDS);
        }

        public Lock readLock(final ReadWriteLock lock)
        {
            return lock.readLock();
        }

        public Condition newCondition(final Lock lock)
        {
            return lock.newCondition();
        }

        public void signalAll(final Condition condition)
        {
            condition.signalAll();
        }

        /** Waits on the condition, holding its lock, until signalled or 10 s pass; true when signalled in time. */
        public boolean await(final Lock lock, final Condition condition) throws InterruptedException
        {
            lock.lock();
            try
            {
                return condition.await(10, TimeUnit.SECONDS);
            }
            finally
            {
                lock.unlock();
            }
        }

        public void countDown(final CountDownLatch latch)
        {
            latch.countDown();
        }

        /** Awaits the latch: null once counted down, or the InterruptedException the catch block saw. */
        public InterruptedException awaitLatch(final CountDownLatch latch)
        {
            try
            {
                latch.await();
                return null;
            }
            catch (final InterruptedException ex)
            {
                return ex;
            }
        }

        /** Awaits the barrier: the arrival index, or the exception the catch block saw. */
        public Object awaitBarrier(final CyclicBarrier barrier)
        {
            try
            {
                return barrier.await();
            }
            catch (final InterruptedException | BrokenBarrierException ex)
            {
                return ex;
            }
        }

        public boolean tryAcquire(final Semaphore semaphore, final int permits)
        {
            return semaphore.tryAcquire(permits);
        }

        public int arrive(final Phaser phaser)
        {
            return phaser.arrive();
        }

        /** A call inside a lambda's body: the body is a method of this class, rewritten like any other. */
        public int incrementInLambda(final AtomicInteger counter)
        {
            final IntSupplier increment = () -> counter.incrementAndGet();
            return increment.getAsInt();
        }

        /** Method references, bound and unbound: the lambda's implementation is the concurrent method itself. */
        public int incrementThroughReference(final AtomicInteger counter)
        {
            final IntSupplier increment = counter::incrementAndGet;
            return increment.getAsInt();
        }

        public int incrementThroughUnboundReference(final AtomicInteger counter)
        {
            final ToIntFunction<AtomicInteger> increment = AtomicInteger::incrementAndGet;
            return increment.applyAsInt(counter);
        }

        /** A Runnable method reference, which a node makes serializable so that a thread made of one can move. */
        public Runnable countDownLater(final CountDownLatch latch)
        {
            return latch::countDown;
        }

        /** Locks, then unlocks through {@code lock::unlock}, a reference to an interface's method. */
        public void unlockThroughReference(final Lock lock)
        {
            lock.lock();
            final Runnable unlock = lock::unlock;
            unlock.run();
        }
    }

    /** A method reference in an interface's default method: the bridge is the interface's own static method. */
    public interface Counting
    {
        default long addThroughReference(final AtomicLong total, final long delta)
        {
            final LongUnaryOperator add = total::addAndGet;
            return add.applyAsLong(delta);
        }
    }

    public static final class Counter implements Counting
    {
    }

    /**
     * Calls written the way a pre-Java 7 compiler wrote them (ConcurrentSitesTest sets the class file's version), for
     * a class file that cannot take an {@code invokedynamic}: no string concatenation, lambda or nested access.
     */
    public static final class Legacy
    {
        public int incrementAndGet(final AtomicInteger counter)
        {
            return counter.incrementAndGet();
        }
    }

    /** An old library's own bookkeeping: a list of its own, updated through {@code List}. */
    public static final class LegacyList
    {
        public boolean remember(final java.util.List<String> seen, final String name)
        {
            return seen.add(name);
        }
    }
}
