package dev.virgo.benchmarks;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What the agent costs a program that moves nothing:
 * <ol>
 *     <li>start-up: wall time from launching {@code java ... Hello} until the JVM has exited, {@code runs} times
 *     each, interleaved, for no agent, the agent with {@code localNodes=0}, and the agent as a user types it (its
 *     embedded default starts 2 local node JVMs at start-up and stops them at exit);</li>
 *     <li>{@link ThreadStartBenchmark} under JMH in two forks, with {@code -javaagent:virgo.jar=localNodes=0}
 *     appended and without.</li>
 * </ol>
 */
public final class AgentOverhead
{
    private AgentOverhead()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Args parsed = Args.parse(args, Set.of("agent", "runs", "warmupS", "measureS", "out", "timeoutS"));
        Args.exitAfter("agent-overhead", parsed.integer("timeoutS", 300));
        final String agent = new File(parsed.required("agent")).getAbsolutePath();
        final String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        final String classpath = System.getProperty("java.class.path");
        final ResultFile results = new ResultFile(parsed.required("out"), "n/a", "none");

        final String[][] variants = {
            {"no agent"},
            {"agent, localNodes=0", "-javaagent:" + agent + "=localNodes=0"},
            {"agent, default (2 local nodes)", "-javaagent:" + agent},
        };
        final int runs = parsed.integer("runs", 10);
        final long[][] wallNs = new long[variants.length][runs];
        for (int run = -1; run < runs; run++) // run -1 warms the page cache
        {
            for (int v = 0; v < variants.length; v++)
            {
                final List<String> command = new ArrayList<>(List.of(java));
                command.addAll(Arrays.asList(variants[v]).subList(1, variants[v].length));
                command.addAll(List.of("-cp", classpath, Hello.class.getName()));
                final long began = System.nanoTime();
                final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!process.waitFor(60, TimeUnit.SECONDS))
                {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", command) + ": did not exit within 60 s");
                }
                final long ns = System.nanoTime() - began;
                if (process.exitValue() != 0)
                {
                    throw new IllegalStateException(String.join(" ", command) + ": exit " + process.exitValue());
                }
                if (run >= 0)
                {
                    wallNs[v][run] = ns;
                }
            }
        }
        for (int v = 0; v < variants.length; v++)
        {
            Arrays.sort(wallNs[v]);
            settings(results, variants[v][0]);
            results.value("startup", variants[v][0], "hello-world wall time to exit, median", "ms", runs,
                wallNs[v][runs / 2] / 1e6);
        }

        final int warmupS = parsed.integer("warmupS", 1);
        final int measureS = parsed.integer("measureS", 1);
        jmh(results, "no agent", null, warmupS, measureS);
        jmh(results, "agent, localNodes=0", "-javaagent:" + agent + "=localNodes=0", warmupS, measureS);
        results.write();
        System.exit(0);
    }

    private static void settings(final ResultFile results, final String variant)
    {
        if (variant.startsWith("no agent"))
        {
            results.settings("n/a (no agent)", "none: one JVM, no agent");
        }
        else if (variant.contains("localNodes=0"))
        {
            results.settings("backoff (agent default)", "none: the agent with localNodes=0 starts no node; nothing moves");
        }
        else
        {
            results.settings("backoff (agent default)",
                "embedded: the agent starts 2 local node JVMs (Aeron IPC); nothing moves");
        }
    }

    private static void jmh(
        final ResultFile results, final String variant, final String jvmArg, final int warmupS, final int measureS)
        throws Exception
    {
        final ChainedOptionsBuilder options = new OptionsBuilder()
            .include(ThreadStartBenchmark.class.getName() + ".startJoin")
            .forks(1)
            .warmupIterations(3).warmupTime(TimeValue.seconds(warmupS))
            .measurementIterations(5).measurementTime(TimeValue.seconds(measureS));
        if (null != jvmArg)
        {
            options.jvmArgsAppend(jvmArg);
        }
        settings(results, variant);
        final Collection<RunResult> runResults = new Runner(options.build()).run();
        for (final RunResult runResult : runResults)
        {
            final Statistics statistics = runResult.getPrimaryResult().getStatistics();
            results.value("jmh Thread.start+join (not moved)", variant, "p50", "us", statistics.getN(),
                statistics.getPercentile(50));
            results.value("jmh Thread.start+join (not moved)", variant, "p99", "us", statistics.getN(),
                statistics.getPercentile(99));
            results.value("jmh Thread.start+join (not moved)", variant, "mean", "us", statistics.getN(),
                statistics.getMean());
        }
    }
}
