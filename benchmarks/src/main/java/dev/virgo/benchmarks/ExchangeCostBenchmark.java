package dev.virgo.benchmarks;

import dev.virgo.runtime.graph.GraphCodec;
import dev.virgo.runtime.graph.HomeGraph;
import dev.virgo.runtime.graph.Image;
import dev.virgo.runtime.graph.Snapshot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * What one exchange of shared state costs in CPU, without the transport: a moved thread's release at a synchronization
 * point (its node's {@link Image} encodes the state of the objects it shares), the origin writing it into the real
 * objects ({@link HomeGraph#release}), the origin's acquire (its state encoded back) and the node writing that into its
 * copies ({@link Image#acquire}): the four codec steps of every carried {@code java.util.concurrent} call, monitor
 * entry or volatile access (issue 9; the transport's share is in {@code SharedObjectsLatency}).
 * <p>
 * The graph is what a worker that records into its own array and counts into a shared {@link AtomicInteger} shares:
 * the {@code Runnable} with a {@code long[]} of {@code cells} and the counter. Each round the node writes one element
 * of the array and the origin moves the counter, so both directions carry a change, as in the benchmark's
 * {@code AtomicInteger increment} row; and the cycle when nothing changed on either side ({@link #pollUnchanged}).
 *
 * <pre>
 * java -cp agent/target/virgo.jar:benchmarks/target/virgo-benchmarks.jar org.openjdk.jmh.Main ExchangeCostBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ExchangeCostBenchmark
{
    private static final Consumer<String> NO_WARNINGS = warning -> { };

    /** The shared graph: a worker's timings array and a counter the program shares. */
    public static final class Worker
    {
        final long[] timings;
        final AtomicInteger counter = new AtomicInteger();

        Worker(final int cells)
        {
            timings = new long[cells];
        }
    }

    @Param({"0", "1100", "16384"})
    public int cells;

    private Worker origin;
    private Worker copy;
    private HomeGraph home;
    private Image node;
    private int round;

    @Setup
    public void setUp()
    {
        final GraphCodec codec = new GraphCodec(64 << 20);
        origin = new Worker(cells);
        final Snapshot snapshot = codec.snapshot(new Object[]{origin}, ExchangeCostBenchmark.class.getClassLoader());
        home = new HomeGraph(snapshot);
        node = codec.read(snapshot.bytes(), ExchangeCostBenchmark.class.getClassLoader());
        copy = (Worker)node.roots()[0];
    }

    /** One carried call's codec work on both sides: release, origin merge, origin acquire, node merge. */
    @Benchmark
    public int exchange()
    {
        round++;
        if (cells > 0)
        {
            copy.timings[round % cells] = round;
        }
        home.release(node.release(), "worker", NO_WARNINGS, () -> { });
        origin.counter.incrementAndGet();
        node.acquire(home.acquire(), "worker", NO_WARNINGS);
        return copy.counter.get();
    }

    /**
     * The same cycle when neither side changed anything since the last exchange: a thread polling a condition under
     * a monitor, or a volatile read that finds nothing new.
     */
    @Benchmark
    public int pollUnchanged()
    {
        home.release(node.release(), "worker", NO_WARNINGS, () -> { });
        node.acquire(home.acquire(), "worker", NO_WARNINGS);
        return copy.timings.length;
    }
}
