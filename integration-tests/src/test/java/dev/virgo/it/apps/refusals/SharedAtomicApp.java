package dev.virgo.it.apps.refusals;

import dev.virgo.it.apps.Check;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Two samplers count hits into one {@code AtomicLong} they both hold in a field. */
public final class SharedAtomicApp
{
    static final int SAMPLES = 4_000; // every increment is a round trip to the origin once moved

    static final class Sampler implements Runnable
    {
        private final AtomicLong hits;
        private final long seed;
        long ranIn;

        Sampler(final AtomicLong hits, final long seed)
        {
            this.hits = hits;
            this.seed = seed;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            final SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < SAMPLES; i++)
            {
                final double x = random.nextDouble();
                final double y = random.nextDouble();
                if (x * x + y * y <= 1.0)
                {
                    hits.incrementAndGet();
                }
            }
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final AtomicLong hits = new AtomicLong();
        final Sampler[] samplers = {new Sampler(hits, 1), new Sampler(hits, 2)};
        final Thread[] threads = new Thread[samplers.length];
        for (int i = 0; i < samplers.length; i++)
        {
            threads[i] = new Thread(samplers[i], "sampler-" + i);
            threads[i].start();
        }
        for (final Thread thread : threads)
        {
            thread.join(30_000);
        }
        long expected = 0;
        for (final long seed : new long[] {1, 2})
        {
            final SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < SAMPLES; i++)
            {
                final double x = random.nextDouble();
                final double y = random.nextDouble();
                expected += x * x + y * y <= 1.0 ? 1 : 0;
            }
        }
        Check.that("answer", hits.get() == expected, hits.get() + ", expected " + expected);
        Check.that("moved", samplers[0].ranIn != Check.pid() && samplers[1].ranIn != Check.pid(),
            "a sampler ran in the origin");
        System.out.println("DONE");
    }
}
