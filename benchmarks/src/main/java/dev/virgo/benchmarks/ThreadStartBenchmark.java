package dev.virgo.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * {@code new Thread(r).start(); join()} of a thread that is not moved: what the agent costs a program's ordinary
 * threads. {@link AgentOverhead} runs it in two forks, one with {@code -javaagent:virgo.jar=localNodes=0} appended
 * and one without; run alone it measures the JVM it forks as it is.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ThreadStartBenchmark
{
    private final Runnable empty = () -> {};

    @Benchmark
    public Thread startJoin() throws InterruptedException
    {
        final Thread thread = new Thread(empty);
        thread.start();
        thread.join();
        return thread;
    }
}
