package dev.virgo.api.heap.sync;

import dev.virgo.api.heap.SharedMemory;
import dev.virgo.dsm.member.ThreeMemberTest;
import dev.virgo.api.heap.SharedLongArray;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedConditionTest extends ThreeMemberTest
{
    private static final int CAPACITY = 4;
    private static final int ITEMS = 2_000;

    /** A bounded ring on a shared array: slots, then the count of puts and the count of takes. */
    private static final class BoundedBuffer
    {
        final SharedLock lock;
        final SharedCondition notFull;
        final SharedCondition notEmpty;
        final SharedLongArray ring;

        BoundedBuffer(final SharedMemory memory, final long lock, final long notFull, final long notEmpty,
            final long ring)
        {
            this.lock = SharedLock.at(memory, lock);
            this.notFull = this.lock.conditionAt(notFull);
            this.notEmpty = this.lock.conditionAt(notEmpty);
            this.ring = SharedLongArray.at(memory, ring, CAPACITY + 2);
        }

        void put(final long item) throws InterruptedException
        {
            assertTrue(lock.tryLock(WAIT_S, TimeUnit.SECONDS));
            try
            {
                while (ring.get(CAPACITY) - ring.get(CAPACITY + 1) == CAPACITY)
                {
                    assertTrue(notFull.await(WAIT_S, TimeUnit.SECONDS), "not full in time");
                }
                final long puts = ring.get(CAPACITY);
                ring.set((int)(puts % CAPACITY), item);
                ring.set(CAPACITY, puts + 1);
                notEmpty.signal();
            }
            finally
            {
                lock.unlock();
            }
        }

        long take() throws InterruptedException
        {
            assertTrue(lock.tryLock(WAIT_S, TimeUnit.SECONDS));
            try
            {
                while (ring.get(CAPACITY) == ring.get(CAPACITY + 1))
                {
                    assertTrue(notEmpty.await(WAIT_S, TimeUnit.SECONDS), "not empty in time");
                }
                final long takes = ring.get(CAPACITY + 1);
                final long item = ring.get((int)(takes % CAPACITY));
                ring.set(CAPACITY + 1, takes + 1);
                notFull.signal();
                return item;
            }
            finally
            {
                lock.unlock();
            }
        }
    }

    @Test
    void shouldPassItemsInOrderFromAProducerOnOneMemberToAConsumerOnAnother() throws Exception
    {
        final SharedLock lock = SharedLock.create(a);
        final long notFull = lock.newCondition().address();
        final long notEmpty = lock.newCondition().address();
        final long ring = SharedLongArray.allocate(a, CAPACITY + 2).address();
        final BoundedBuffer producerSide = new BoundedBuffer(b, lock.address(), notFull, notEmpty, ring);
        final BoundedBuffer consumerSide = new BoundedBuffer(c, lock.address(), notFull, notEmpty, ring);

        final Future<Void> producer = start(() ->
        {
            for (long item = 1; item <= ITEMS; item++)
            {
                producerSide.put(item);
            }
            return null;
        });
        final Future<Long> consumer = start(() ->
        {
            long sum = 0;
            for (long expected = 1; expected <= ITEMS; expected++)
            {
                final long item = consumerSide.take();
                assertEquals(expected, item, "items arrive in order");
                sum += item;
            }
            return sum;
        });

        result(producer);
        assertEquals((long)ITEMS * (ITEMS + 1) / 2, result(consumer));
        assertEquals(ITEMS, SharedLongArray.at(a, ring, CAPACITY + 2).get(CAPACITY + 1));
    }

    @Test
    void shouldWakeEveryWaiterOnSignalAll() throws Exception
    {
        final SharedLock onA = SharedLock.create(a);
        final SharedCondition changed = onA.newCondition();
        final long flag = a.malloc(8);
        final CountDownLatch waiting = new CountDownLatch(2);
        final Future<Boolean> onB = start(() -> awaitFlag(SharedLock.at(b, onA.address()), changed.address(), b, flag,
            waiting));
        final Future<Boolean> onC = start(() -> awaitFlag(SharedLock.at(c, onA.address()), changed.address(), c, flag,
            waiting));
        assertTrue(waiting.await(WAIT_S, TimeUnit.SECONDS));

        onA.lock();
        try
        {
            a.putLong(flag, 1);
            changed.signalAll();
        }
        finally
        {
            onA.unlock();
        }
        assertTrue(result(onB));
        assertTrue(result(onC));
    }

    @Test
    void shouldNotLoseASignalToAWaiterThatTimedOut() throws Exception
    {
        final SharedLock onA = SharedLock.create(a);
        final SharedCondition condition = onA.newCondition();
        final SharedLock onB = SharedLock.at(b, onA.address());
        final SharedCondition conditionOnB = onB.conditionAt(condition.address());

        final boolean signalled = result(start(() ->
        {
            onB.lock();
            try
            {
                return conditionOnB.await(20, TimeUnit.MILLISECONDS);
            }
            finally
            {
                onB.unlock();
            }
        }));
        assertFalse(signalled, "nobody signalled");

        final long flag = a.malloc(8);
        final CountDownLatch waiting = new CountDownLatch(1);
        final Future<Boolean> waiter = start(() -> awaitFlag(SharedLock.at(c, onA.address()), condition.address(), c,
            flag, waiting));
        assertTrue(waiting.await(WAIT_S, TimeUnit.SECONDS));
        onA.lock();
        try
        {
            a.putLong(flag, 1);
            condition.signal();
        }
        finally
        {
            onA.unlock();
        }
        assertTrue(result(waiter), "the signal reached the live waiter, not the timed-out ticket");
    }

    @Test
    void shouldRefuseToAwaitOrSignalWithoutTheLock()
    {
        final SharedLock onA = SharedLock.create(a);
        final SharedCondition condition = onA.newCondition();
        assertThrows(IllegalMonitorStateException.class, condition::await);
        assertThrows(IllegalMonitorStateException.class, condition::signal);
        assertThrows(IllegalMonitorStateException.class, condition::signalAll);
    }

    /**
     * Waits, holding the lock, until the flag is set; counts {@code waiting} down once its ticket is taken (the
     * lock is released only inside {@code await}, so a signaller that gets the lock after that finds it queued).
     */
    private static boolean awaitFlag(final SharedLock lock, final long condition, final SharedMemory memory,
        final long flag, final CountDownLatch waiting) throws InterruptedException
    {
        final SharedCondition changed = lock.conditionAt(condition);
        assertTrue(lock.tryLock(WAIT_S, TimeUnit.SECONDS));
        try
        {
            boolean counted = false;
            while (0 == memory.getLong(flag))
            {
                if (!counted)
                {
                    waiting.countDown();
                    counted = true;
                }
                if (!changed.await(WAIT_S, TimeUnit.SECONDS))
                {
                    return false;
                }
            }
            return true;
        }
        finally
        {
            lock.unlock();
        }
    }
}
