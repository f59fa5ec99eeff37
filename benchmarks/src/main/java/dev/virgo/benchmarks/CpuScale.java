package dev.virgo.benchmarks;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A CPU-bound program with coarse threads: a fixed amount of work (a pseudo-random walk of {@code work} million
 * steps) split evenly into {@code threads} threads, started together and joined, {@code rounds} times after one
 * warm-up round. Run as it is, or with the agent naming {@code CpuScale$Worker} so that every worker moves; the
 * median round's wall time of the two runs gives the efficiency. The checksum depends on the split but not on where the
 * threads run, so a plain and a moved run of the same split must print the same one: a wrong write-back shows.
 */
public final class CpuScale
{
    static final class Worker implements Runnable
    {
        private final long seed;
        private final long steps;
        double sum;

        Worker(final long seed, final long steps)
        {
            this.seed = seed;
            this.steps = steps;
        }

        @Override
        public void run()
        {
            long x = seed;
            double acc = 0;
            for (long i = 0; i < steps; i++)
            {
                x = x * 6364136223846793005L + 1442695040888963407L;
                acc += (x >>> 11) * 0x1.0p-53;
            }
            sum = acc;
        }
    }

    private CpuScale()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Args parsed = Args.parse(args, Set.of("threads", "work", "rounds", "variant", "out", "timeoutS"));
        Args.exitAfter("cpu-scale", parsed.integer("timeoutS", 120));
        final int threadCount = parsed.integer("threads", 2);
        final long steps = parsed.integer("work", 2_000) * 1_000_000L;
        final int rounds = parsed.integer("rounds", 3);
        final long[] roundNs = new long[rounds];
        double checksum = 0;
        for (int round = -1; round < rounds; round++)
        {
            final Worker[] workers = new Worker[threadCount];
            final Thread[] threads = new Thread[threadCount];
            final long began = System.nanoTime();
            for (int i = 0; i < threadCount; i++)
            {
                // Each thread walks its own stretch: seeds depend on the part, so the split is real work.
                workers[i] = new Worker(i + 1, steps / threadCount);
                threads[i] = new Thread(workers[i], "cpu-scale-" + i);
                threads[i].start();
            }
            checksum = 0;
            for (int i = 0; i < threadCount; i++)
            {
                threads[i].join(TimeUnit.SECONDS.toMillis(100));
                checksum += workers[i].sum;
            }
            if (round >= 0)
            {
                roundNs[round] = System.nanoTime() - began;
            }
        }
        Arrays.sort(roundNs);
        final double medianMs = roundNs[rounds / 2] / 1e6;
        final Environment environment = Environment.describe(0);
        System.out.printf("threads=%d work=%d M steps, median round %.1f ms, checksum %.6f%n",
            threadCount, steps / 1_000_000, medianMs, checksum);
        final ResultFile results = new ResultFile(parsed.required("out"), environment.idle, environment.channel);
        results.value("cpu-scale", parsed.string("variant", "") + ", threads=" + threadCount, "median round",
            "ms", rounds, medianMs);
        results.value("cpu-scale", parsed.string("variant", "") + ", threads=" + threadCount, "checksum", "sum",
            rounds, checksum);
        results.write();
        System.exit(0);
    }
}
