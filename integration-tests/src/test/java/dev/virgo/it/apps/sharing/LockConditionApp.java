package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded buffer of {@code Condition}'s javadoc: a {@code ReentrantLock} with {@code notFull} and {@code notEmpty}
 * conditions. A producer hands 200 numbers through four slots to a consumer, which checks their order.
 */
public final class LockConditionApp
{
    static final int SLOTS = 4;
    static final int ITEMS = 200;
    static final long GIVE_UP_S = 10;

    static final class BoundedBuffer
    {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition notFull = lock.newCondition();
        private final Condition notEmpty = lock.newCondition();
        private final int[] items = new int[SLOTS];
        private int count;
        private int putAt;
        private int takeAt;
        private int mostHeld;

        /** @return false when no slot came free within the give-up. */
        boolean put(final int item) throws InterruptedException
        {
            lock.lock();
            try
            {
                long leftNs = TimeUnit.SECONDS.toNanos(GIVE_UP_S);
                while (count == items.length)
                {
                    if (leftNs <= 0)
                    {
                        return false;
                    }
                    leftNs = notFull.awaitNanos(leftNs);
                }
                items[putAt] = item;
                putAt = (putAt + 1) % items.length;
                count++;
                mostHeld = Math.max(mostHeld, count);
                notEmpty.signal();
                return true;
            }
            finally
            {
                lock.unlock();
            }
        }

        /** @return the item, or -1 when none came within the give-up. */
        int take() throws InterruptedException
        {
            lock.lock();
            try
            {
                long leftNs = TimeUnit.SECONDS.toNanos(GIVE_UP_S);
                while (count == 0)
                {
                    if (leftNs <= 0)
                    {
                        return -1;
                    }
                    leftNs = notEmpty.awaitNanos(leftNs);
                }
                final int item = items[takeAt];
                takeAt = (takeAt + 1) % items.length;
                count--;
                notFull.signal();
                return item;
            }
            finally
            {
                lock.unlock();
            }
        }

        int mostHeld()
        {
            lock.lock();
            try
            {
                return mostHeld;
            }
            finally
            {
                lock.unlock();
            }
        }
    }

    static final class Producer implements Runnable
    {
        private final BoundedBuffer buffer;
        long ranIn;
        int put;

        Producer(final BoundedBuffer buffer)
        {
            this.buffer = buffer;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            try
            {
                for (int i = 1; i <= ITEMS && buffer.put(i); i++)
                {
                    put++;
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    static final class Consumer implements Runnable
    {
        private final BoundedBuffer buffer;
        long ranIn;
        int taken;
        long sum;
        boolean inOrder = true;

        Consumer(final BoundedBuffer buffer)
        {
            this.buffer = buffer;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            try
            {
                for (int i = 1; i <= ITEMS; i++)
                {
                    final int item = buffer.take();
                    if (item < 0)
                    {
                        return;
                    }
                    inOrder &= item == i;
                    sum += item;
                    taken++;
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final BoundedBuffer buffer = new BoundedBuffer();
        final Consumer consumer = new Consumer(buffer);
        final Producer producer = new Producer(buffer);
        final Thread[] threads = {new Thread(consumer, "consumer"), new Thread(producer, "producer")};
        for (final Thread thread : threads)
        {
            thread.start();
        }
        Report.joinAll(threads);

        Report.ran("consumer", consumer.ranIn);
        Report.ran("producer", producer.ranIn);
        Report.result("put=" + producer.put + " taken=" + consumer.taken + " sum=" + consumer.sum +
            " inOrder=" + consumer.inOrder + " neverOverfilled=" + (buffer.mostHeld() <= SLOTS));
    }
}
