package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Two workers block in java.util.concurrent calls that only an interrupt ends: one in {@code latch.await()} on a
 * latch nobody counts down, one in {@code condition.await()}; each first counts down {@code arrived}, and main,
 * once both arrived and the condition's lock shows a waiter, interrupts them. Each call must throw
 * {@code InterruptedException} with the status cleared, the condition's waiter holding its lock again, as on one JVM.
 */
public final class InterruptedAwaitApp
{
    static final long GIVE_UP_S = 10;

    static final class Gates
    {
        final CountDownLatch never = new CountDownLatch(1);
        final CountDownLatch arrived = new CountDownLatch(2);
        final ReentrantLock lock = new ReentrantLock();
        final Condition released = lock.newCondition();
    }

    static final class LatchWaiter implements Runnable
    {
        private final Gates gates;
        long ranIn;
        boolean interrupted;
        boolean statusClearedAfter;

        LatchWaiter(final Gates gates)
        {
            this.gates = gates;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            gates.arrived.countDown();
            try
            {
                gates.never.await();
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
                statusClearedAfter = !Thread.currentThread().isInterrupted();
            }
        }
    }

    static final class ConditionWaiter implements Runnable
    {
        private final Gates gates;
        long ranIn;
        boolean interrupted;
        boolean statusClearedAfter;
        boolean heldLockAfter;

        ConditionWaiter(final Gates gates)
        {
            this.gates = gates;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            gates.lock.lock();
            try
            {
                gates.arrived.countDown();
                gates.released.await();
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
                statusClearedAfter = !Thread.currentThread().isInterrupted();
                heldLockAfter = gates.lock.isHeldByCurrentThread();
            }
            finally
            {
                gates.lock.unlock();
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final Gates gates = new Gates();
        final LatchWaiter latchWaiter = new LatchWaiter(gates);
        final ConditionWaiter conditionWaiter = new ConditionWaiter(gates);
        final Thread[] threads = {new Thread(latchWaiter, "latch-waiter"), new Thread(conditionWaiter, "condition-waiter")};
        for (final Thread thread : threads)
        {
            thread.start();
        }
        final boolean bothArrived = gates.arrived.await(GIVE_UP_S, TimeUnit.SECONDS);
        boolean conditionWaiting = false;
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(GIVE_UP_S);
        while (!conditionWaiting && System.nanoTime() - deadlineNs < 0)
        {
            gates.lock.lock();
            try
            {
                conditionWaiting = gates.lock.hasWaiters(gates.released);
            }
            finally
            {
                gates.lock.unlock();
            }
            Thread.onSpinWait();
        }
        for (final Thread thread : threads)
        {
            thread.interrupt();
        }
        Report.joinAll(threads);

        Report.ran(threads[0].getName(), latchWaiter.ranIn);
        Report.ran(threads[1].getName(), conditionWaiter.ranIn);
        Report.result("bothArrived=" + bothArrived + " conditionWaiting=" + conditionWaiting +
            " latchInterrupted=" + latchWaiter.interrupted + " latchStatusCleared=" + latchWaiter.statusClearedAfter +
            " conditionInterrupted=" + conditionWaiter.interrupted +
            " conditionStatusCleared=" + conditionWaiter.statusClearedAfter +
            " heldLockAfter=" + conditionWaiter.heldLockAfter);
    }
}
