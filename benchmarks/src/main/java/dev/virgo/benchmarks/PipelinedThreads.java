package dev.virgo.benchmarks;

import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of many small threads: a batch of threads is started, then every one is joined, over and over. The
 * moved kind ({@code PipelinedThreads$MovedTask}, to be named by the agent's {@code offload=} glob) and the local
 * kind ({@code LocalTask}, not named) take turns round by round (local, moved, moved, local, ...) so the machine's
 * noise falls on both; each figure is threads started and joined per second of the measured rounds.
 *
 * <p>Like {@link StartJoinLatency}, this class keeps no static state: a moved nested class reaches its outer class,
 * whose statics would travel with every thread.
 *
 * <pre>
 * java '-javaagent:virgo.jar=offload=dev.virgo.benchmarks.PipelinedThreads$Moved*' \
 *      -cp virgo-benchmarks.jar dev.virgo.benchmarks.PipelinedThreads out=pipelined.csv
 * </pre>
 */
public final class PipelinedThreads
{
    static final class MovedTask implements Runnable
    {
        @Override
        public void run()
        {
        }
    }

    static final class LocalTask implements Runnable
    {
        @Override
        public void run()
        {
        }
    }

    private PipelinedThreads()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Args parsed = Args.parse(args, Set.of("batch", "warmupRounds", "rounds", "variant", "out", "timeoutS"));
        Args.exitAfter("pipelined-threads", parsed.integer("timeoutS", 120));
        final int batch = parsed.integer("batch", 200);
        final int warmupRounds = parsed.integer("warmupRounds", 10);
        final int rounds = parsed.integer("rounds", 30);
        final Runnable moved = new MovedTask();
        final Runnable local = new LocalTask();
        final Thread[] threads = new Thread[batch];

        long movedNs = 0;
        long localNs = 0;
        for (int round = 0; round < warmupRounds + rounds; round++)
        {
            final boolean movedFirst = (round & 1) == 1;
            final long first = round(movedFirst ? moved : local, threads);
            final long second = round(movedFirst ? local : moved, threads);
            if (round >= warmupRounds)
            {
                movedNs += movedFirst ? first : second;
                localNs += movedFirst ? second : first;
            }
        }

        final Environment environment = Environment.describe(0);
        final long count = (long)batch * rounds;
        final ResultFile results = new ResultFile(parsed.required("out"), environment.idle, environment.channel);
        final String variant = parsed.string("variant", "");
        results.value("pipelined-threads", "moved" + variant, "throughput, batch " + batch, "threads/s", count,
            count / (movedNs / 1e9));
        results.settings("n/a", "none: local threads in the same JVM, beside the moved ones");
        results.value("pipelined-threads", "local", "throughput, batch " + batch, "threads/s", count,
            count / (localNs / 1e9));
        results.write();
        System.exit(0);
    }

    private static long round(final Runnable task, final Thread[] threads) throws InterruptedException
    {
        final long began = System.nanoTime();
        for (int i = 0; i < threads.length; i++)
        {
            threads[i] = new Thread(task);
            threads[i].start();
        }
        for (final Thread thread : threads)
        {
            thread.join(TimeUnit.SECONDS.toMillis(10));
            if (thread.isAlive())
            {
                throw new IllegalStateException(thread.getName() + " did not end within 10 s");
            }
        }
        return System.nanoTime() - began;
    }
}
