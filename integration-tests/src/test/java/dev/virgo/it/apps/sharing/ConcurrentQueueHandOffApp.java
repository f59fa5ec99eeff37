package dev.virgo.it.apps.sharing;

import dev.virgo.it.apps.Check;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A hand-off through a {@code ConcurrentLinkedQueue} that both sides poll: a producer offers 200 numbers in batches of
 * 20 and waits (polling {@code isEmpty()}) until the consumer has drained each batch; the consumer polls until it has
 * all 200 and checks their order.
 */
public final class ConcurrentQueueHandOffApp
{
    static final int ITEMS = 200;
    static final int BATCH = 20;
    static final long GIVE_UP_NS = 10_000_000_000L;

    static final class Producer implements Runnable
    {
        private final ConcurrentLinkedQueue<Integer> queue;
        long ranIn;
        int batchesDrained;

        Producer(final ConcurrentLinkedQueue<Integer> queue)
        {
            this.queue = queue;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            final long giveUpAt = System.nanoTime() + GIVE_UP_NS;
            for (int i = 1; i <= ITEMS; i++)
            {
                queue.offer(i);
                if (i % BATCH == 0)
                {
                    while (!queue.isEmpty())
                    {
                        if (System.nanoTime() - giveUpAt > 0)
                        {
                            return;
                        }
                        Thread.yield();
                    }
                    batchesDrained++;
                }
            }
        }
    }

    static final class Consumer implements Runnable
    {
        private final ConcurrentLinkedQueue<Integer> queue;
        long ranIn;
        int taken;
        long sum;
        boolean inOrder = true;

        Consumer(final ConcurrentLinkedQueue<Integer> queue)
        {
            this.queue = queue;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            final long giveUpAt = System.nanoTime() + GIVE_UP_NS;
            while (taken < ITEMS && System.nanoTime() - giveUpAt < 0)
            {
                final Integer item = queue.poll();
                if (null == item)
                {
                    Thread.yield();
                    continue;
                }
                taken++;
                inOrder &= item == taken;
                sum += item;
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final ConcurrentLinkedQueue<Integer> queue = new ConcurrentLinkedQueue<>();
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
        Report.result("taken=" + consumer.taken + " sum=" + consumer.sum + " inOrder=" + consumer.inOrder +
            " batchesDrained=" + producer.batchesDrained + " left=" + queue.size());
    }
}
