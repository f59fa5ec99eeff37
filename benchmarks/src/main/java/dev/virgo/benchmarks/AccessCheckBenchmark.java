package dev.virgo.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What keeping a moved thread's shared arrays coherent costs its private compute, for the design of issue 9 (objects
 * shared across JVMs): one sweep of a three-point stencil over a {@code double[]}, written as plain Java, beside the
 * same sweep with each candidate access check the agent could insert on a node, and the cost of the alternative that
 * inserts none (twin and diff at synchronization points).
 *
 * <ul>
 *   <li>{@code plain}: the loop as the program wrote it (C2 vectorizes it);</li>
 *   <li>{@code checkPlainState}: each read first checks a state field of the array's holder (a synthetic field the
 *   agent would add; JavaSplit's per-access check), read as a plain field: C2 may hoist it out of the loop;</li>
 *   <li>{@code checkOpaqueState}: the same check read with opaque semantics, so the loop sees an invalidation made by
 *   another thread while it runs (what a polled, racy program needs): it cannot be hoisted;</li>
 *   <li>{@code checkIdentityMap}: each read looks the array up in an identity map (arrays have no field to add);</li>
 *   <li>{@code writeBarrierCards}: each write also marks a card (one byte per 512 elements), as a write barrier that
 *   records what a release must publish;</li>
 *   <li>{@code twinDiff}: no check in the loop; what a release costs instead: compare the array with its twin (the copy
 *   taken at the last synchronization) with {@link Arrays#mismatch}, collecting the changed runs, then refresh the
 *   twin;</li>
 *   <li>{@code twinDiffUnchanged}: the same comparison when nothing changed (a read-mostly array at each release).</li>
 * </ul>
 *
 * <pre>
 * java -cp benchmarks/target/virgo-benchmarks.jar org.openjdk.jmh.Main AccessCheckBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AccessCheckBenchmark
{
    private static final int VALID = 1;
    private static final int CARD_SHIFT = 9;
    private static final VarHandle STATE;

    static
    {
        try
        {
            STATE = MethodHandles.lookup().findVarHandle(Holder.class, "state", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** Elements per array: 64 Ki (512 KiB, fits in L2) and 1 Mi (8 MiB, does not). */
    @Param({"65536", "1048576"})
    public int elements;

    /** What holds a shared array on a node: the array and the state an access check would read. */
    static final class Holder
    {
        int state = VALID;
        final double[] values;

        Holder(final double[] values)
        {
            this.values = values;
        }
    }

    private Holder source;
    private double[] target;
    private double[] twin;
    private byte[] cards;
    private IdentityHashMap<Object, Holder> shared;
    private int[] changedRuns;
    private long faults;

    @Setup(Level.Trial)
    public void setUp()
    {
        final double[] values = new double[elements];
        for (int i = 0; i < elements; i++)
        {
            values[i] = i * 0.5;
        }
        source = new Holder(values);
        target = new double[elements];
        twin = new double[elements];
        cards = new byte[(elements >> CARD_SHIFT) + 1];
        shared = new IdentityHashMap<>();
        shared.put(values, source);
        shared.put(target, new Holder(target));
        changedRuns = new int[elements + 2];
    }

    @Benchmark
    public double[] plain()
    {
        final double[] a = source.values;
        final double[] b = target;
        for (int i = 1; i < a.length - 1; i++)
        {
            b[i] = (a[i - 1] + a[i] + a[i + 1]) * (1.0 / 3);
        }
        return b;
    }

    @Benchmark
    public double[] checkPlainState()
    {
        final Holder h = source;
        final double[] b = target;
        for (int i = 1; i < h.values.length - 1; i++)
        {
            if (h.state != VALID)
            {
                fault(h);
            }
            b[i] = (h.values[i - 1] + h.values[i] + h.values[i + 1]) * (1.0 / 3);
        }
        return b;
    }

    @Benchmark
    public double[] checkOpaqueState()
    {
        final Holder h = source;
        final double[] a = h.values;
        final double[] b = target;
        for (int i = 1; i < a.length - 1; i++)
        {
            if ((int)STATE.getOpaque(h) != VALID)
            {
                fault(h);
            }
            b[i] = (a[i - 1] + a[i] + a[i + 1]) * (1.0 / 3);
        }
        return b;
    }

    @Benchmark
    public double[] checkIdentityMap()
    {
        final double[] a = source.values;
        final double[] b = target;
        for (int i = 1; i < a.length - 1; i++)
        {
            final Holder h = shared.get(a);
            if (h != null && h.state != VALID)
            {
                fault(h);
            }
            b[i] = (a[i - 1] + a[i] + a[i + 1]) * (1.0 / 3);
        }
        return b;
    }

    @Benchmark
    public double[] writeBarrierCards()
    {
        final double[] a = source.values;
        final double[] b = target;
        final byte[] c = cards;
        for (int i = 1; i < a.length - 1; i++)
        {
            b[i] = (a[i - 1] + a[i] + a[i + 1]) * (1.0 / 3);
            c[i >>> CARD_SHIFT] = 1;
        }
        return b;
    }

    /** A release after a sweep that changed every element: find the changed runs, then refresh the twin. */
    @Benchmark
    public int twinDiff()
    {
        Arrays.fill(twin, 0, twin.length, -1.0); // every element differs from the last published state
        final int runs = diff(target, twin);
        System.arraycopy(target, 0, twin, 0, target.length);
        return runs;
    }

    /** A release when nothing changed since the last one: the comparison alone. */
    @Benchmark
    public int twinDiffUnchanged()
    {
        System.arraycopy(target, 0, twin, 0, target.length);
        return diff(target, twin);
    }

    /** Run-length encodes the positions where {@code copy} differs from {@code twin}; returns how many runs. */
    private int diff(final double[] copy, final double[] twin)
    {
        int runs = 0;
        int from = 0;
        final int length = copy.length;
        while (from < length)
        {
            final int offset = Arrays.mismatch(copy, from, length, twin, from, length);
            if (offset < 0)
            {
                break;
            }
            final int start = from + offset;
            int end = start + 1;
            while (end < length && Double.doubleToRawLongBits(copy[end]) != Double.doubleToRawLongBits(twin[end]))
            {
                end++;
            }
            changedRuns[2 * runs] = start;
            changedRuns[2 * runs + 1] = end;
            runs++;
            from = end;
        }
        return runs;
    }

    private void fault(final Holder h)
    {
        faults++;
        h.state = VALID;
    }
}
