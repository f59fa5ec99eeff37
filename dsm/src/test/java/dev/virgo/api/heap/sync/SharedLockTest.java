package dev.virgo.api.heap.sync;

import dev.virgo.dsm.member.DsmMember;
import dev.virgo.dsm.member.ThreeMemberTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedLockTest extends ThreeMemberTest
{
    private static final int THREADS_PER_MEMBER = 2;
    private static final int INCREMENTS_PER_THREAD = 200;

    @Test
    void shouldKeepNonAtomicIncrementsExactUnderTheLockFromThreeMembers() throws Exception
    {
        final long lockAddress = SharedLock.create(a).address();
        final long counter = b.malloc(8);
        final List<Future<Void>> workers = new ArrayList<>();
        for (final DsmMember member : cluster.members)
        {
            final SharedLock lock = SharedLock.at(member, lockAddress);
            for (int t = 0; t < THREADS_PER_MEMBER; t++)
            {
                workers.add(start(() ->
                {
                    for (int i = 0; i < INCREMENTS_PER_THREAD; i++)
                    {
                        assertTrue(lock.tryLock(WAIT_S, TimeUnit.SECONDS), "lock not acquired in time");
                        try
                        {
                            member.putLong(counter, member.getLong(counter) + 1);
                        }
                        finally
                        {
                            lock.unlock();
                        }
                    }
                    return null;
                }));
            }
        }
        results(workers);

        assertEquals((long)cluster.members.length * THREADS_PER_MEMBER * INCREMENTS_PER_THREAD, c.getLong(counter));
        assertFalse(SharedLock.at(c, lockAddress).isLocked());
    }

    @Test
    void shouldBeReentrantAndReleaseOnlyOnTheLastUnlock() throws Exception
    {
        final SharedLock onA = SharedLock.create(a);
        final SharedLock onB = SharedLock.at(b, onA.address());
        onA.lock();
        onA.lock();
        assertTrue(onA.tryLock());
        assertEquals(3, onA.getHoldCount());
        assertFalse(tryLockOnAnotherThread(onB), "held by a thread on another member");

        onA.unlock();
        onA.unlock();
        assertTrue(onB.isLocked());
        assertFalse(tryLockOnAnotherThread(onB), "still held once");
        onA.unlock();
        assertFalse(onB.isLocked());
        assertTrue(tryLockOnAnotherThread(onB));
    }

    @Test
    void shouldRefuseUnlockByAThreadThatDoesNotHoldTheLock() throws Exception
    {
        final SharedLock onA = SharedLock.create(a);
        final SharedLock onB = SharedLock.at(b, onA.address());
        assertThrows(IllegalMonitorStateException.class, onA::unlock, "free lock");

        onA.lock();
        final ExecutionException otherThread = assertThrows(ExecutionException.class,
            () -> result(start(() ->
            {
                onA.unlock();
                return null;
            })));
        assertInstanceOf(IllegalMonitorStateException.class, otherThread.getCause());
        assertThrows(IllegalMonitorStateException.class, onB::unlock, "same thread through another member's handle");
        assertTrue(onA.isHeldByCurrentThread());
        onA.unlock();
    }

    @Test
    void shouldTimeOutAndHonourInterruptionWhileTheLockIsHeldElsewhere() throws Exception
    {
        final SharedLock onA = SharedLock.create(a);
        final SharedLock onC = SharedLock.at(c, onA.address());
        onA.lock();
        try
        {
            final long startNs = System.nanoTime();
            assertFalse(result(start(() -> onC.tryLock(100, TimeUnit.MILLISECONDS))));
            assertTrue(System.nanoTime() - startNs >= TimeUnit.MILLISECONDS.toNanos(100));

            final CountDownLatch waiting = new CountDownLatch(1);
            final AtomicReference<Throwable> outcome = new AtomicReference<>();
            final Thread blocked = new Thread(() ->
            {
                waiting.countDown();
                try
                {
                    onC.lock();
                    outcome.set(new AssertionError("lock() returned while held elsewhere"));
                }
                catch (final Throwable ex)
                {
                    outcome.set(ex);
                }
            });
            blocked.start();
            assertTrue(waiting.await(WAIT_S, TimeUnit.SECONDS));
            blocked.interrupt();
            blocked.join(TimeUnit.SECONDS.toMillis(WAIT_S));
            assertFalse(blocked.isAlive(), "lock() still blocked after interrupt");
            assertInstanceOf(InterruptedException.class, outcome.get());
        }
        finally
        {
            onA.unlock();
        }
        assertFalse(onA.isLocked(), "an interrupted lock() did not take the lock");
    }

    /** @return whether another thread got the lock through {@code lock} (it lets go at once). */
    private boolean tryLockOnAnotherThread(final SharedLock lock) throws Exception
    {
        final Future<Boolean> attempt = start(() ->
        {
            final boolean got = lock.tryLock();
            if (got)
            {
                lock.unlock();
            }
            return got;
        });
        return result(attempt);
    }
}
