package dev.virgo.it.apps.refusals;

import dev.virgo.it.apps.Check;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A producer and a consumer thread hand numbers through a bounded buffer written the textbook way: synchronized
 * methods that {@code wait()} while full or empty and {@code notifyAll()} after each change. Copies of the buffer
 * would hand nothing over.
 */
public final class BoundedBufferApp
{
    static final int ITEMS = 200;
    static final long PATIENCE_NS = TimeUnit.SECONDS.toNanos(10);

    static final class BoundedBuffer
    {
        private final int[] items = new int[4];
        private int count;
        private int putAt;
        private int takeAt;

        synchronized void put(final int item) throws InterruptedException, TimeoutException
        {
            final long deadline = System.nanoTime() + PATIENCE_NS;
            while (count == items.length)
            {
                awaitChange(deadline);
            }
            items[putAt] = item;
            putAt = (putAt + 1) % items.length;
            count++;
            notifyAll();
        }

        synchronized int take() throws InterruptedException, TimeoutException
        {
            final long deadline = System.nanoTime() + PATIENCE_NS;
            while (count == 0)
            {
                awaitChange(deadline);
            }
            final int item = items[takeAt];
            takeAt = (takeAt + 1) % items.length;
            count--;
            notifyAll();
            return item;
        }

        /** Bounded, so that a buffer nobody else fills or drains ends in a FAIL line rather than a hang. */
        private void awaitChange(final long deadline) throws InterruptedException, TimeoutException
        {
            final long leftNs = deadline - System.nanoTime();
            if (leftNs <= 0)
            {
                throw new TimeoutException("nothing changed in the buffer for " + PATIENCE_NS / 1_000_000 + " ms");
            }
            TimeUnit.NANOSECONDS.timedWait(this, leftNs);
        }
    }

    static final class Producer implements Runnable
    {
        private final BoundedBuffer buffer;
        String failure;
        long ranIn;

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
                for (int i = 1; i <= ITEMS; i++)
                {
                    buffer.put(i);
                }
            }
            catch (final InterruptedException | TimeoutException ex)
            {
                failure = ex.toString();
            }
        }
    }

    static final class Consumer implements Runnable
    {
        private final BoundedBuffer buffer;
        long sum;
        String failure;
        long ranIn;

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
                for (int i = 0; i < ITEMS; i++)
                {
                    sum += buffer.take();
                }
            }
            catch (final InterruptedException | TimeoutException ex)
            {
                failure = ex.toString();
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final BoundedBuffer buffer = new BoundedBuffer();
        final Producer producer = new Producer(buffer);
        final Consumer consumer = new Consumer(buffer);
        final Thread producing = new Thread(producer, "producer");
        final Thread consuming = new Thread(consumer, "consumer");
        consuming.start();
        producing.start();
        producing.join(30_000);
        consuming.join(30_000);
        final long expected = (long)ITEMS * (ITEMS + 1) / 2;
        Check.that("answer", consumer.sum == expected && null == producer.failure && null == consumer.failure,
            "consumed " + consumer.sum + " (expected " + expected + "), producer: " + producer.failure +
            ", consumer: " + consumer.failure);
        Check.that("ran-locally", producer.ranIn == Check.pid() && consumer.ranIn == Check.pid(),
            "a thread ran in another JVM");
        System.out.println("DONE");
    }
}
