package dev.virgo.benchmarks;

import dev.virgo.dsm.member.DsmMember;
import dev.virgo.dsm.member.MemberLinks;
import dev.virgo.runtime.transport.AeronTransport;
import dev.virgo.runtime.transport.TransportSettings;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A shared-heap hit: {@code getLong} and {@code putLong} on a page the member already holds (read, or held
 * exclusively for the put), so no message is sent, beside the memory accesses it is built from: a plain {@code long[]}
 * read and an Agrona {@link UnsafeBuffer} volatile read and write (a member's page is an {@code UnsafeBuffer}, and the
 * heap's accesses are volatile).
 *
 * <p>One {@link DsmMember} with a link to itself only: a member is the home of what it allocates and goes through the
 * protocol for its own pages too, so the first access of the page is a miss served from its own queue and every access
 * measured after it is a hit. The member's id is 1, not 0: a page number below 128 would be a cached {@code Long} in
 * the member's page map, which member 0's first pages are and other members' pages never are.
 *
 * <p>Run by {@code main} (the suite's step {@code heap-hit}): JMH, average time, one fork per method with the Aeron
 * flags, {@code warmup} and {@code iterations} of 1 s each, and the results written as a {@link ResultFile}.
 * <pre>
 * java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp virgo-heap-benchmarks.jar \
 *     dev.virgo.benchmarks.SharedHeapHitBenchmark out=heap-hit.csv [aeronDir=/dev/shm/x]
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = SharedHeapHitBenchmark.AERON_FLAGS)
public class SharedHeapHitBenchmark
{
    /** Where the fork's embedded media driver lives; the directory is removed when the member closes. */
    static final String AERON_DIR_PROP_NAME = "virgo.bench.aeronDir";
    /** Agrona and Aeron reach into {@code jdk.internal.misc}. */
    static final String AERON_FLAGS = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    static final int PAGE_SIZE_BYTES = 4096;
    static final int MEMBER_ID = 1;
    private static final int STREAM_ID = 2100;
    private static final int SLOTS = PAGE_SIZE_BYTES / Long.BYTES;

    private AeronTransport transport;
    private MemberLinks links;
    private DsmMember member;
    /** The page read by the get benchmarks, held as a read copy. */
    private long readPage;
    /** The page written by the put benchmark, held exclusively. */
    private long writePage;
    private long[] array;
    private UnsafeBuffer buffer;
    /** Not final, so the JIT cannot fold the offsets; varies, so each access is not the one before. */
    private int slot;
    private long value;

    @Setup(Level.Trial)
    public void setUp()
    {
        final String aeronDir = System.getProperty(AERON_DIR_PROP_NAME, TransportSettings.defaultAeronDir() + "-hit");
        transport = AeronTransport.launchEmbedded(new TransportSettings().aeronDir(aeronDir).idleStrategy("backoff"));
        links = new MemberLinks(MEMBER_ID, transport, "aeron:ipc", STREAM_ID); // its only link is to itself
        member = new DsmMember(links, PAGE_SIZE_BYTES, 5_000, "backoff");
        readPage = member.malloc(PAGE_SIZE_BYTES);
        writePage = member.malloc(PAGE_SIZE_BYTES);
        final long before = member.requestsSent();
        for (int i = 0; i < SLOTS; i++)
        {
            member.getLong(readPage + (long)i * Long.BYTES);
            member.putLong(writePage + (long)i * Long.BYTES, i);
        }
        if (member.requestsSent() - before != 2)
        {
            throw new IllegalStateException("expected one miss per page before the hits, got " +
                (member.requestsSent() - before) + " requests");
        }
        array = new long[SLOTS];
        buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(PAGE_SIZE_BYTES));
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        // The page must not have been fetched again while measuring: the figures are hits only.
        final long requests = member.requestsSent();
        member.close();
        links.close();
        transport.close();
        if (requests != 2)
        {
            throw new IllegalStateException("the hit benchmark sent " + requests + " requests, 2 expected");
        }
    }

    @Benchmark
    public long heapGetLong()
    {
        slot = (slot + 1) & (SLOTS - 1);
        return member.getLong(readPage + ((long)slot << 3));
    }

    @Benchmark
    public void heapPutLong()
    {
        slot = (slot + 1) & (SLOTS - 1);
        member.putLong(writePage + ((long)slot << 3), value++);
    }

    @Benchmark
    public long arrayRead()
    {
        slot = (slot + 1) & (SLOTS - 1);
        return array[slot];
    }

    @Benchmark
    public long bufferGetLongVolatile()
    {
        slot = (slot + 1) & (SLOTS - 1);
        return buffer.getLongVolatile(slot << 3);
    }

    @Benchmark
    public void bufferPutLongVolatile()
    {
        slot = (slot + 1) & (SLOTS - 1);
        buffer.putLongVolatile(slot << 3, value++);
    }

    public static void main(final String[] args) throws Exception
    {
        final Args parsed = Args.parse(args, Set.of("aeronDir", "warmup", "iterations", "out", "timeoutS"));
        Args.exitAfter("heap-hit", parsed.integer("timeoutS", 150));
        final String aeronDir = parsed.string("aeronDir", TransportSettings.defaultAeronDir() + "-hit");
        final int warmup = parsed.integer("warmup", 3);
        final int iterations = parsed.integer("iterations", 5);
        final Collection<RunResult> runs = new Runner(new OptionsBuilder()
            .include(SharedHeapHitBenchmark.class.getName() + "\\.")
            .forks(1)
            .jvmArgsAppend(AERON_FLAGS, "-D" + AERON_DIR_PROP_NAME + "=" + aeronDir) // replaces @Fork's
            .warmupIterations(warmup).warmupTime(TimeValue.seconds(1))
            .measurementIterations(iterations).measurementTime(TimeValue.seconds(1))
            .build()).run();

        final ResultFile results = new ResultFile(parsed.required("out"),
            "n/a (a hit waits for nothing; the member's conductor backs off)",
            "none: a hit sends no message (one member, page size " + PAGE_SIZE_BYTES + " B)");
        final List<RunResult> sorted = new ArrayList<>(runs);
        sorted.sort((a, b) -> a.getParams().getBenchmark().compareTo(b.getParams().getBenchmark()));
        for (final RunResult run : sorted)
        {
            final String name = run.getParams().getBenchmark();
            final String method = name.substring(name.lastIndexOf('.') + 1);
            final Statistics statistics = run.getPrimaryResult().getStatistics();
            results.value("jmh shared-heap hit", method, "mean", "ns", statistics.getN(), statistics.getMean());
            results.value("jmh shared-heap hit", method, "error 99.9%", "ns", statistics.getN(),
                run.getPrimaryResult().getScoreError());
        }
        results.write();
        System.exit(0);
    }
}
