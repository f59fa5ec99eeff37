package dev.virgo.it.apps.fuzz;

import dev.virgo.it.apps.Check;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * An origin kept busy while a fuzzer sends its inbox frames: it runs rounds of moved workers that sum squares of their
 * slice of a range, checks each round's sum, and stops once the file named by its argument exists (at most
 * {@link #MAX_RUN_S} s). Run with {@code nodes=...,offload=dev.virgo.it.apps.fuzz.FuzzedOriginApp*}.
 * <p>
 * Prints {@code ROUND n ok} after the first round and every {@link #REPORT_EVERY}th (the test starts fuzzing after the
 * first), {@code CHECK} lines, {@code PIDS} (where the workers ran, all rounds) and {@code DONE rounds=n}.
 */
public final class FuzzedOriginApp
{
    static final int WORKERS = 2;
    static final long MAX_RUN_S = 900;
    static final long N = 400_000;
    static final int REPORT_EVERY = 10;

    static final class Worker implements Runnable
    {
        final long from;
        final long to;
        long sum;
        long ranIn;

        Worker(final long from, final long to)
        {
            this.from = from;
            this.to = to;
        }

        @Override
        public void run()
        {
            ranIn = ProcessHandle.current().pid();
            long total = 0;
            for (long i = from; i < to; i++)
            {
                total += i * i % 1_000_003;
            }
            sum = total;
        }
    }

    public static void main(final String[] args) throws Exception
    {
        final Path stop = Path.of(args[0]);
        long expected = 0;
        for (long i = 0; i < N; i++)
        {
            expected += i * i % 1_000_003;
        }
        final long origin = Check.pid();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(MAX_RUN_S);
        int rounds = 0;
        boolean allRight = true;
        boolean allMoved = true;
        final Set<Long> ranIn = new TreeSet<>();
        do
        {
            final Worker[] workers = new Worker[WORKERS];
            final Thread[] threads = new Thread[WORKERS];
            for (int i = 0; i < WORKERS; i++)
            {
                workers[i] = new Worker(N * i / WORKERS, N * (i + 1) / WORKERS);
                threads[i] = new Thread(workers[i], "fuzzed-worker-" + rounds + "-" + i);
                threads[i].start();
            }
            long total = 0;
            for (int i = 0; i < WORKERS; i++)
            {
                threads[i].join(TimeUnit.SECONDS.toMillis(60));
                allRight &= !threads[i].isAlive();
                allMoved &= workers[i].ranIn != 0 && workers[i].ranIn != origin;
                total += workers[i].sum;
                ranIn.add(workers[i].ranIn);
            }
            rounds++;
            allRight &= total == expected;
            if (total != expected)
            {
                System.out.println("ROUND " + rounds + " WRONG " + total + ", expected " + expected);
            }
            else if (1 == rounds || 0 == rounds % REPORT_EVERY)
            {
                System.out.println("ROUND " + rounds + " ok");
            }
        }
        while (!Files.exists(stop) && System.nanoTime() < deadline);
        Check.that("fuzzed-rounds-right", allRight, "a round's sum was wrong or a worker did not end");
        Check.that("fuzzed-rounds-moved", allMoved, "a worker ran in the origin");
        Check.that("fuzzed-stopped-by-test", Files.exists(stop), "ran " + MAX_RUN_S + " s without the stop file");
        System.out.println("PIDS " + ranIn.toString().replaceAll("[\\[\\],]", ""));
        System.out.println("DONE rounds=" + rounds);
    }
}
