package dev.virgo.examples;

import java.util.SplittableRandom;

/**
 * Estimates pi with one {@code Thread} subclass per worker, each keeping its count in its own field, read by
 * {@code main} after {@code join()}. An ordinary program: it knows nothing of Virgo.
 */
public final class MonteCarloPi
{
    static final class Sampler extends Thread
    {
        private final long samples;
        private final long seed;
        long inside;
        String ranOn;

        Sampler(final int index, final long samples, final long seed)
        {
            super("sampler-" + index);
            this.samples = samples;
            this.seed = seed;
        }

        @Override
        public void run()
        {
            final SplittableRandom random = new SplittableRandom(seed);
            long hits = 0;
            for (long i = 0; i < samples; i++)
            {
                final double x = random.nextDouble();
                final double y = random.nextDouble();
                if (x * x + y * y <= 1.0)
                {
                    hits++;
                }
            }
            inside = hits;
            ranOn = WhereAmI.describe();
        }
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final int workers = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        final long samplesPerWorker = args.length > 1 ? Long.parseLong(args[1]) : 20_000_000L;

        final Sampler[] samplers = new Sampler[workers];
        for (int i = 0; i < workers; i++)
        {
            samplers[i] = new Sampler(i, samplesPerWorker, 42L + i);
            samplers[i].start();
        }
        long inside = 0;
        for (final Sampler sampler : samplers)
        {
            sampler.join();
            inside += sampler.inside;
            System.out.println(sampler.getName() + " ran on " + sampler.ranOn + ": " + sampler.inside + " inside");
        }

        // The same samples drawn here, to check that every remote count came back intact.
        long expected = 0;
        for (int i = 0; i < workers; i++)
        {
            final Sampler check = new Sampler(i, samplesPerWorker, 42L + i);
            check.run();
            expected += check.inside;
        }
        final double pi = 4.0 * inside / (workers * samplesPerWorker);
        System.out.printf("pi ~ %.6f from %,d samples on %d threads%n", pi, workers * samplesPerWorker, workers);
        if (inside != expected || Math.abs(pi - Math.PI) > 0.01)
        {
            System.out.println("FAILED: expected " + expected + " samples inside, got " + inside);
            System.exit(1);
        }
        System.out.println("OK: result validated");
    }
}
