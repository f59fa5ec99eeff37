package dev.virgo.it.apps.refusals;

import dev.virgo.it.apps.Check;

import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * A producer thread schedules numbers for {@code main} through a {@code DelayQueue} while both run, as a timer wheel
 * does. A DelayQueue is the JDK's one blocking queue that Virgo does not carry (its {@code take} waits on the
 * elements' own clocks), so the producer must run in the origin's JVM: a copy of the queue would hand {@code main}
 * nothing.
 */
public final class DelayQueueApp
{
    static final int ITEMS = 500;
    static final int END = -1;

    /**
     * Due at once (the test is about who sees the queue, not about the clock), and taken in the order put: a
     * DelayQueue orders elements due together by {@code compareTo}, so the end marker must compare last.
     */
    static final class Due implements Delayed
    {
        final int sequence;
        final int value;

        Due(final int sequence, final int value)
        {
            this.sequence = sequence;
            this.value = value;
        }

        @Override
        public long getDelay(final TimeUnit unit)
        {
            return 0;
        }

        @Override
        public int compareTo(final Delayed other)
        {
            return Integer.compare(sequence, ((Due)other).sequence);
        }
    }

    static final class Producer implements Runnable
    {
        private final DelayQueue<Due> queue;
        long ranIn;

        Producer(final DelayQueue<Due> queue)
        {
            this.queue = queue;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            for (int i = 1; i <= ITEMS + 1; i++)
            {
                queue.put(new Due(i, i <= ITEMS ? i : END));
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final DelayQueue<Due> queue = new DelayQueue<>();
        for (int round = 0; round < 2; round++)
        {
            final Producer producer = new Producer(queue);
            final Thread thread = new Thread(producer, "producer-" + round);
            thread.start();
            long sum = 0;
            String failure = null;
            while (true)
            {
                // Bounded, so that a queue nobody fills ends in a FAIL line rather than a hang.
                final Due item = queue.poll(10, TimeUnit.SECONDS);
                if (null == item)
                {
                    failure = "nothing arrived for 10 s after a sum of " + sum;
                    break;
                }
                if (item.value == END)
                {
                    break;
                }
                sum += item.value;
            }
            thread.join(30_000);
            final long expected = (long)ITEMS * (ITEMS + 1) / 2;
            Check.that("answer-" + round, sum == expected && null == failure,
                "sum " + sum + " (expected " + expected + "), main: " + failure);
            Check.that("ran-locally-" + round, producer.ranIn == Check.pid(), "the producer ran in another JVM");
        }
        System.out.println("DONE");
    }
}
