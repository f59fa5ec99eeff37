package dev.virgo.examples;

import dev.virgo.api.heap.SharedHeap;
import dev.virgo.api.heap.SharedLongArray;
import dev.virgo.api.heap.SharedMemory;

import java.util.SplittableRandom;

/**
 * A parallel histogram over memory pooled across JVMs: every worker draws values and counts them into one
 * {@link SharedLongArray} with get-and-add, wherever it runs. Each worker counts a batch locally and then adds the
 * batch to the shared buckets, as one would with an {@code AtomicLongArray} shared by many cores: an add to a bucket
 * another JVM just wrote moves the page, a network round trip, so adding every value one by one would be slow. The array is not copied into the moved threads: it lives
 * in the shared heap (at the origin, which allocated it) and travels as a reference, so workers on different nodes
 * update the same buckets while they run. {@code main} then redraws every value itself and checks every bucket.
 *
 * <p>Unlike the other examples, this one uses Virgo's API ({@code dev.virgo.api.heap}): it needs the agent.
 */
public final class SharedHistogram
{
    static final int BUCKETS = 64;
    static final int BATCH = 10_000;

    static final class Counter implements Runnable
    {
        private final SharedLongArray buckets;
        private final int index;
        private final long values;
        String ranOn;

        Counter(final SharedLongArray buckets, final int index, final long values)
        {
            this.buckets = buckets;
            this.index = index;
            this.values = values;
        }

        @Override
        public void run()
        {
            final SplittableRandom random = new SplittableRandom(1_000L + index);
            final long[] batch = new long[BUCKETS];
            for (long i = 1; i <= values; i++)
            {
                batch[bucketOf(random.nextGaussian())]++;
                if (i % BATCH == 0 || i == values)
                {
                    for (int b = 0; b < BUCKETS; b++)
                    {
                        if (batch[b] != 0)
                        {
                            buckets.getAndAdd(b, batch[b]);
                            batch[b] = 0;
                        }
                    }
                }
            }
            ranOn = WhereAmI.describe();
        }
    }

    /** A standard normal value's bucket: 64 buckets of width 0.125 over [-4, 4), the tails in the end buckets. */
    static int bucketOf(final double value)
    {
        return (int)Math.max(0, Math.min(BUCKETS - 1, Math.floor((value + 4.0) * 8.0)));
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final int workers = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        final long valuesPerWorker = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000L;

        final SharedMemory memory = SharedHeap.memory();
        final SharedLongArray buckets = SharedLongArray.allocate(memory, BUCKETS);
        final Counter[] counters = new Counter[workers];
        final Thread[] threads = new Thread[workers];
        for (int i = 0; i < workers; i++)
        {
            counters[i] = new Counter(buckets, i, valuesPerWorker);
            threads[i] = new Thread(counters[i], "counter-" + i);
            threads[i].start();
        }
        for (int i = 0; i < workers; i++)
        {
            threads[i].join();
            System.out.println(threads[i].getName() + " ran on " + counters[i].ranOn);
        }

        final long[] expected = new long[BUCKETS];
        for (int i = 0; i < workers; i++)
        {
            final SplittableRandom random = new SplittableRandom(1_000L + i);
            for (long v = 0; v < valuesPerWorker; v++)
            {
                expected[bucketOf(random.nextGaussian())]++;
            }
        }
        long total = 0;
        int wrong = 0;
        for (int b = 0; b < BUCKETS; b++)
        {
            final long count = buckets.get(b);
            total += count;
            if (count != expected[b])
            {
                wrong++;
                System.out.println("bucket " + b + ": " + count + ", expected " + expected[b]);
            }
        }
        System.out.println("counted " + total + " values into " + BUCKETS + " shared buckets, from " +
            WhereAmI.describe());
        for (int b = 24; b < 40; b += 2)
        {
            System.out.printf("%+5.2f %s%n", b / 8.0 - 4.0, "#".repeat((int)(60 * buckets.get(b) / (total / 10 + 1))));
        }
        if (wrong > 0 || total != workers * valuesPerWorker)
        {
            System.out.println("FAILED: " + wrong + " bucket(s) wrong, " + total + " values counted of " +
                workers * valuesPerWorker);
            System.exit(1);
        }
        System.out.println("OK: result validated");
    }
}
