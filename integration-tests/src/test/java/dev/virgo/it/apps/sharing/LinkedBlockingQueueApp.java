package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Producer and consumer over a {@code LinkedBlockingQueue} of capacity eight: 200 numbers, then a poison pill. The
 * capacity keeps the producer from finishing before the consumer runs; the consumer checks the order.
 */
public final class LinkedBlockingQueueApp
{
    static final int CAPACITY = 8;
    static final int ITEMS = 200;
    static final Integer POISON = -1;
    static final long GIVE_UP_S = 10;

    static final class Producer implements Runnable
    {
        private final BlockingQueue<Integer> queue;
        long ranIn;
        int put;

        Producer(final BlockingQueue<Integer> queue)
        {
            this.queue = queue;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            try
            {
                for (int i = 1; i <= ITEMS && queue.offer(i, GIVE_UP_S, TimeUnit.SECONDS); i++)
                {
                    put++;
                }
                queue.offer(POISON, GIVE_UP_S, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    static final class Consumer implements Runnable
    {
        private final BlockingQueue<Integer> queue;
        long ranIn;
        int taken;
        long sum;
        boolean inOrder = true;
        boolean sawPoison;

        Consumer(final BlockingQueue<Integer> queue)
        {
            this.queue = queue;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            try
            {
                for (Integer item = queue.poll(GIVE_UP_S, TimeUnit.SECONDS); null != item;
                    item = queue.poll(GIVE_UP_S, TimeUnit.SECONDS))
                {
                    if (item.equals(POISON))
                    {
                        sawPoison = true;
                        break;
                    }
                    taken++;
                    inOrder &= item == taken;
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
        final BlockingQueue<Integer> queue = new LinkedBlockingQueue<>(CAPACITY);
        final Consumer consumer = new Consumer(queue);
        final Producer producer = new Producer(queue);
        final Thread[] threads = {new Thread(consumer, "consumer"), new Thread(producer, "producer")};
        for (final Thread thread : threads)
        {
            thread.start();
        }
        Report.joinAll(threads);

        Report.ran("consumer", consumer.ranIn);
        Report.ran("producer", producer.ranIn);
        Report.result("put=" + producer.put + " taken=" + consumer.taken + " sum=" + consumer.sum +
            " inOrder=" + consumer.inOrder + " sawPoison=" + consumer.sawPoison + " left=" + queue.size());
    }
}
