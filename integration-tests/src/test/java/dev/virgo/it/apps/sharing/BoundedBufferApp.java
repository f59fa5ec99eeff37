package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

/**
 * The textbook bounded buffer: {@code synchronized} put and take that {@code wait()} while full or empty and
 * {@code notifyAll()} after each change. Two producers and two consumers hand 200 numbers through four slots, so
 * neither side can finish without the other running; each consumer checks it got each producer's numbers in order.
 */
public final class BoundedBufferApp
{
    static final int SLOTS = 4;
    static final int ITEMS_PER_PRODUCER = 100;

    static final class BoundedBuffer
    {
        private final int[] items = new int[SLOTS];
        private int count;
        private int putAt;
        private int takeAt;

        synchronized void put(final int item) throws InterruptedException
        {
            while (count == items.length)
            {
                wait();
            }
            items[putAt] = item;
            putAt = (putAt + 1) % items.length;
            count++;
            notifyAll();
        }

        synchronized int take() throws InterruptedException
        {
            while (count == 0)
            {
                wait();
            }
            final int item = items[takeAt];
            takeAt = (takeAt + 1) % items.length;
            count--;
            notifyAll();
            return item;
        }
    }

    static final class Producer implements Runnable
    {
        private final BoundedBuffer buffer;
        private final int id;
        long ranIn;

        Producer(final BoundedBuffer buffer, final int id)
        {
            this.buffer = buffer;
            this.id = id;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            try
            {
                for (int i = 1; i <= ITEMS_PER_PRODUCER; i++)
                {
                    buffer.put(id * 1000 + i);
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
        private final int[] lastSeen = new int[2];
        long ranIn;
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
                for (int i = 0; i < ITEMS_PER_PRODUCER; i++)
                {
                    final int item = buffer.take();
                    final int producer = item / 1000;
                    inOrder &= item % 1000 > lastSeen[producer];
                    lastSeen[producer] = item % 1000;
                    sum += item;
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
        final Producer[] producers = {new Producer(buffer, 0), new Producer(buffer, 1)};
        final Consumer[] consumers = {new Consumer(buffer), new Consumer(buffer)};
        final Thread[] threads = {
            new Thread(consumers[0], "consumer-0"), new Thread(consumers[1], "consumer-1"),
            new Thread(producers[0], "producer-0"), new Thread(producers[1], "producer-1")};
        for (final Thread thread : threads)
        {
            thread.start();
        }
        Report.joinAll(threads);

        Report.ran("consumer-0", consumers[0].ranIn);
        Report.ran("consumer-1", consumers[1].ranIn);
        Report.ran("producer-0", producers[0].ranIn);
        Report.ran("producer-1", producers[1].ranIn);
        Report.result("sum=" + (consumers[0].sum + consumers[1].sum) +
            " inOrder=" + (consumers[0].inOrder && consumers[1].inOrder));
    }
}
