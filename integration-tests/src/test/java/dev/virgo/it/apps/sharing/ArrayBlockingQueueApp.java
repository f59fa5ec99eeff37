package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Two producers and two consumers over an {@code ArrayBlockingQueue} of four slots: 100 numbers each, then one poison
 * pill per consumer from main once the producers are done. Each consumer checks it got each producer's numbers in
 * order.
 */
public final class ArrayBlockingQueueApp
{
    static final int CAPACITY = 4;
    static final int ITEMS_PER_PRODUCER = 100;
    static final int POISON = -1;
    static final long GIVE_UP_S = 10;

    static final class Producer implements Runnable
    {
        private final BlockingQueue<Integer> queue;
        private final int id;
        long ranIn;
        int put;

        Producer(final BlockingQueue<Integer> queue, final int id)
        {
            this.queue = queue;
            this.id = id;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            try
            {
                for (int i = 1; i <= ITEMS_PER_PRODUCER && queue.offer(id * 1000 + i, GIVE_UP_S, TimeUnit.SECONDS); i++)
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
        private final BlockingQueue<Integer> queue;
        private final int[] lastSeen = new int[2];
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
                    if (item == POISON)
                    {
                        sawPoison = true;
                        break;
                    }
                    final int producer = item / 1000;
                    inOrder &= item % 1000 > lastSeen[producer];
                    lastSeen[producer] = item % 1000;
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
        final BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(CAPACITY);
        final Producer[] producers = {new Producer(queue, 0), new Producer(queue, 1)};
        final Consumer[] consumers = {new Consumer(queue), new Consumer(queue)};
        final Thread[] producing = {new Thread(producers[0], "producer-0"), new Thread(producers[1], "producer-1")};
        final Thread[] consuming = {new Thread(consumers[0], "consumer-0"), new Thread(consumers[1], "consumer-1")};
        for (int i = 0; i < 2; i++)
        {
            consuming[i].start();
            producing[i].start();
        }
        Report.joinAll(producing);
        for (int i = 0; i < consumers.length; i++)
        {
            queue.offer(POISON, GIVE_UP_S, TimeUnit.SECONDS);
        }
        Report.joinAll(consuming);

        Report.ran("producer-0", producers[0].ranIn);
        Report.ran("producer-1", producers[1].ranIn);
        Report.ran("consumer-0", consumers[0].ranIn);
        Report.ran("consumer-1", consumers[1].ranIn);
        Report.result("put=" + (producers[0].put + producers[1].put) +
            " taken=" + (consumers[0].taken + consumers[1].taken) + " sum=" + (consumers[0].sum + consumers[1].sum) +
            " inOrder=" + (consumers[0].inOrder && consumers[1].inOrder) +
            " sawPoison=" + (consumers[0].sawPoison && consumers[1].sawPoison));
    }
}
