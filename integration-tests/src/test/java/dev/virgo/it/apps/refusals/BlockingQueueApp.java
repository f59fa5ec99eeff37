package dev.virgo.it.apps.refusals;

import dev.virgo.it.apps.Check;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A producer thread hands numbers to {@code main} through a bounded {@code BlockingQueue} while both run. A copy of
 * the queue would hand {@code main} nothing, and fill up.
 */
public final class BlockingQueueApp
{
    static final int ITEMS = 500;
    static final int END = -1;

    static final class Producer implements Runnable
    {
        private final BlockingQueue<Integer> queue;
        String failure;
        long ranIn;

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
                for (int i = 1; i <= ITEMS + 1; i++)
                {
                    // Bounded, so that a queue nobody drains ends in a FAIL line rather than a hang.
                    if (!queue.offer(i <= ITEMS ? i : END, 10, TimeUnit.SECONDS))
                    {
                        failure = "the queue stayed full for 10 s at item " + i;
                        return;
                    }
                }
            }
            catch (final InterruptedException ex)
            {
                failure = ex.toString();
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(8);
        for (int round = 0; round < 2; round++)
        {
            final Producer producer = new Producer(queue);
            final Thread thread = new Thread(producer, "producer-" + round);
            thread.start();
            long sum = 0;
            String failure = null;
            while (true)
            {
                final Integer item = queue.poll(10, TimeUnit.SECONDS);
                if (null == item)
                {
                    failure = "nothing arrived for 10 s after a sum of " + sum;
                    break;
                }
                if (item == END)
                {
                    break;
                }
                sum += item;
            }
            thread.join(30_000);
            final long expected = (long)ITEMS * (ITEMS + 1) / 2;
            Check.that("answer-" + round, sum == expected && null == failure && null == producer.failure,
                "sum " + sum + " (expected " + expected + "), main: " + failure + ", producer: " + producer.failure);
            Check.that("ran-locally-" + round, producer.ranIn == Check.pid(), "the producer ran in another JVM");
        }
        System.out.println("DONE");
    }
}
