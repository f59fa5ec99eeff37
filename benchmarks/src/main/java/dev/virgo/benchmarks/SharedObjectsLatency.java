package dev.virgo.benchmarks;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Set;

/**
 * What synchronization between threads costs when the threads are moved and share their objects (issue 9), beside the
 * same code on local threads in the same run. Run it with the agent told to move the {@code Moved*} classes only:
 * <pre>
 * java -javaagent:agent/target/virgo.jar=offload=dev.virgo.benchmarks.SharedObjectsLatency\$Moved* \
 *      -cp benchmarks/target/virgo-benchmarks.jar dev.virgo.benchmarks.SharedObjectsLatency
 * </pre>
 * Measured, each for a moved pair (on two nodes of the embedded default) and a local pair:
 * <ul>
 *     <li><b>monitor ping-pong</b>: two threads hand a turn back and forth under {@code synchronized} with
 *     {@code wait}/{@code notifyAll}; one round trip is two hand-offs, timed by the pinging thread;</li>
 *     <li><b>volatile ping-pong</b>: the same turn in a {@code volatile} field, each side spinning on it;</li>
 *     <li><b>AtomicInteger increment</b>: one thread incrementing a counter the program shares (us per increment);</li>
 *     <li><b>CyclicBarrier round</b>: two threads meeting at a shared {@code CyclicBarrier} (us per round);</li>
 *     <li><b>ConcurrentLinkedQueue offer + poll</b>: one thread offering to and polling from a queue the program
 *     shares (us per pair: on a node, two updates made at the origin);</li>
 *     <li><b>private list + map</b>: rounds of filling an {@code ArrayList} and counting into a {@code HashMap} of the
 *     thread's own (ms, warm median): what the class check at a node's rewritten collection call sites costs;</li>
 *     <li><b>private compute</b>: rounds of 2,000 passes over an array of the thread's own (ms, the first round and the
 *     median of the rest): what coherence costs a thread that shares nothing;</li>
 *     <li><b>re-entry</b>: one thread re-entering, {@code iterations} times, a monitor it holds (ns per re-entry);</li>
 *     <li><b>stencil</b>: a 3-point stencil over a shared {@code double[]} of {@code cells}, two threads each sweeping
 *     half, meeting at a {@code synchronized} barrier after every sweep, {@code sweeps} sweeps (ms for all).</li>
 * </ul>
 * The moved threads record their timings into their own arrays, which come home at {@code join()}. An ordinary
 * program: it imports nothing of Virgo. Arguments {@code name=value}: {@code iterations} (default 2000),
 * {@code warmup} (default 200), {@code cells} (default 65536), {@code sweeps} (default 50), {@code timeoutS}
 * (default 300).
 */
public final class SharedObjectsLatency
{
    /** Passes per round of the private compute: a warm round is ~15 ms here, long beside the refresher's period. */
    static final int COMPUTE_PASSES = 2000;
    /** Elements per round of the private collections: a warm round is a few ms here. */
    static final int PRIVATE_ELEMENTS = 200_000;

    /** The turn both threads of a ping-pong hand each other. */
    static final class Baton
    {
        int turn;
        volatile int volatileTurn;
    }

    /** One side of the monitor ping-pong; side 0 times the round trips. */
    static class MonitorSide implements Runnable
    {
        final Baton baton;
        final int side;
        final int rounds;
        final long[] roundTripNs;

        MonitorSide(final Baton baton, final int side, final int rounds)
        {
            this.baton = baton;
            this.side = side;
            this.rounds = rounds;
            this.roundTripNs = new long[side == 0 ? rounds : 0];
        }

        @Override
        public void run()
        {
            try
            {
                for (int i = 0; i < rounds; i++)
                {
                    final long began = System.nanoTime();
                    synchronized (baton)
                    {
                        while (baton.turn != side)
                        {
                            baton.wait();
                        }
                        baton.turn = 1 - side;
                        baton.notifyAll();
                    }
                    if (side == 0 && i > 0)
                    {
                        roundTripNs[i - 1] = System.nanoTime() - lastHandOffNs;
                    }
                    lastHandOffNs = began;
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }

        private long lastHandOffNs;
    }

    /** One side of the volatile ping-pong. */
    static class VolatileSide implements Runnable
    {
        final Baton baton;
        final int side;
        final int rounds;
        final long[] roundTripNs;

        VolatileSide(final Baton baton, final int side, final int rounds)
        {
            this.baton = baton;
            this.side = side;
            this.rounds = rounds;
            this.roundTripNs = new long[side == 0 ? rounds : 0];
        }

        @Override
        public void run()
        {
            long last = System.nanoTime();
            for (int i = 0; i < rounds; i++)
            {
                while (baton.volatileTurn != side)
                {
                    Thread.onSpinWait();
                }
                final long now = System.nanoTime();
                if (side == 0 && i > 0)
                {
                    roundTripNs[i - 1] = now - last;
                }
                last = now;
                baton.volatileTurn = 1 - side;
            }
        }
    }

    /** Re-enters a monitor it holds; the time per re-entry comes home in {@code nsPerReentry}. */
    static class Reentry implements Runnable
    {
        final Baton lock = new Baton();
        final int iterations;
        double nsPerReentry;

        Reentry(final int iterations)
        {
            this.iterations = iterations;
        }

        @Override
        public void run()
        {
            synchronized (lock)
            {
                for (int round = 0; round < 3; round++) // the last round is the one kept
                {
                    final long began = System.nanoTime();
                    for (int i = 0; i < iterations; i++)
                    {
                        synchronized (lock)
                        {
                            lock.turn++;
                        }
                    }
                    nsPerReentry = (System.nanoTime() - began) / (double)iterations;
                }
            }
        }
    }

    /** The barrier the stencil's workers meet at after every sweep, written as ordinary code writes it. */
    static final class SweepBarrier
    {
        private final int parties;
        private int waiting;
        private int generation;

        SweepBarrier(final int parties)
        {
            this.parties = parties;
        }

        synchronized void await() throws InterruptedException
        {
            final int arrivedIn = generation;
            if (++waiting == parties)
            {
                waiting = 0;
                generation++;
                notifyAll();
                return;
            }
            while (generation == arrivedIn)
            {
                wait();
            }
        }
    }

    /** Sweeps its half of a shared array {@code sweeps} times, meeting the other half's worker after each. */
    static class StencilWorker implements Runnable
    {
        final double[][] grids;
        final SweepBarrier barrier;
        final int from;
        final int to;
        final int sweeps;

        StencilWorker(final double[][] grids, final SweepBarrier barrier, final int from, final int to, final int sweeps)
        {
            this.grids = grids;
            this.barrier = barrier;
            this.from = from;
            this.to = to;
            this.sweeps = sweeps;
        }

        @Override
        public void run()
        {
            try
            {
                for (int s = 0; s < sweeps; s++)
                {
                    final double[] in = grids[s & 1];
                    final double[] out = grids[1 - (s & 1)];
                    for (int i = Math.max(1, from); i < Math.min(to, in.length - 1); i++)
                    {
                        out[i] = (in[i - 1] + in[i] + in[i + 1]) / 3.0;
                    }
                    barrier.await();
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Increments a counter the program shares, timing each increment (the program reads it after join()). */
    static class Incrementer implements Runnable
    {
        final AtomicInteger counter;
        final long[] incrementNs;

        Incrementer(final AtomicInteger counter, final int increments)
        {
            this.counter = counter;
            this.incrementNs = new long[increments];
        }

        @Override
        public void run()
        {
            for (int i = 0; i < incrementNs.length; i++)
            {
                final long began = System.nanoTime();
                counter.incrementAndGet();
                incrementNs[i] = System.nanoTime() - began;
            }
        }
    }

    /** Offers to and polls from a queue the program shares, timing each offer and poll together. */
    static class QueueUser implements Runnable
    {
        final ConcurrentLinkedQueue<Integer> queue;
        final long[] pairNs;

        QueueUser(final ConcurrentLinkedQueue<Integer> queue, final int pairs)
        {
            this.queue = queue;
            this.pairNs = new long[pairs];
        }

        @Override
        public void run()
        {
            for (int i = 0; i < pairNs.length; i++)
            {
                final long began = System.nanoTime();
                queue.offer(i);
                queue.poll();
                pairNs[i] = System.nanoTime() - began;
            }
        }
    }

    /**
     * Collections of the thread's own: rounds of filling a list and counting into a map through {@code Map.merge}. On a
     * node every such call site is rewritten to ask the receiver's class whether it is a concurrent collection kept at
     * the origin; this times what that question costs a thread whose collections are its own.
     */
    static class PrivateCollections implements Runnable
    {
        static final int ROUNDS = 9;

        final int elements;
        final double[] roundMs = new double[ROUNDS];
        long checksum;

        PrivateCollections(final int elements)
        {
            this.elements = elements;
        }

        @Override
        public void run()
        {
            for (int round = 0; round < ROUNDS; round++)
            {
                final long began = System.nanoTime();
                final List<Integer> list = new ArrayList<>();
                final Map<Integer, Integer> counts = new HashMap<>();
                for (int i = 0; i < elements; i++)
                {
                    list.add(i);
                    counts.merge(i & 1023, 1, Integer::sum);
                }
                checksum += list.size() + counts.get(7);
                roundMs[round] = (System.nanoTime() - began) / 1e6;
            }
        }

        double warmMs()
        {
            return warmMedianMs(roundMs);
        }
    }

    /** Meets the other side at a CyclicBarrier {@code rounds} times; side 0 times each round. */
    static class BarrierSide implements Runnable
    {
        final CyclicBarrier barrier;
        final long[] roundNs;
        final int rounds;

        BarrierSide(final CyclicBarrier barrier, final int side, final int rounds)
        {
            this.barrier = barrier;
            this.rounds = rounds;
            this.roundNs = new long[side == 0 ? rounds : 0];
        }

        @Override
        public void run()
        {
            try
            {
                for (int i = 0; i < rounds; i++)
                {
                    final long began = System.nanoTime();
                    barrier.await();
                    if (roundNs.length > 0)
                    {
                        roundNs[i] = System.nanoTime() - began;
                    }
                }
            }
            catch (final InterruptedException | BrokenBarrierException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * A thread's private compute, which shares nothing: {@link #ROUNDS} rounds of {@code passes} sums over an array of
     * its own, each timed in ms. The moved one pays whatever coherence costs a thread that never synchronizes (the
     * refresher, the rewritten code). The first round is cold (the JIT has not compiled the loop yet, in a node JVM
     * that has run less); the median of the others is the steady state the aim (within 10% of local) is about.
     */
    static class PrivateCompute implements Runnable
    {
        static final int ROUNDS = 9;

        final int cells;
        final int passes;
        final double[] roundMs = new double[ROUNDS];
        long checksum;

        PrivateCompute(final int cells, final int passes)
        {
            this.cells = cells;
            this.passes = passes;
        }

        @Override
        public void run()
        {
            final long[] values = new long[cells];
            for (int i = 0; i < cells; i++)
            {
                values[i] = i * 31L;
            }
            long sum = 0;
            for (int round = 0; round < ROUNDS; round++)
            {
                final long began = System.nanoTime();
                for (int p = 0; p < passes; p++)
                {
                    for (int i = 0; i < cells; i++)
                    {
                        sum += values[i] ^ p;
                        values[i] = sum;
                    }
                }
                roundMs[round] = (System.nanoTime() - began) / 1e6;
            }
            checksum = sum;
        }

        double coldMs()
        {
            return roundMs[0];
        }

        double warmMs()
        {
            return warmMedianMs(roundMs);
        }
    }

    static final class MovedIncrementer extends Incrementer
    {
        MovedIncrementer(final AtomicInteger counter, final int increments)
        {
            super(counter, increments);
        }
    }

    static final class LocalIncrementer extends Incrementer
    {
        LocalIncrementer(final AtomicInteger counter, final int increments)
        {
            super(counter, increments);
        }
    }

    static final class MovedQueueUser extends QueueUser
    {
        MovedQueueUser(final ConcurrentLinkedQueue<Integer> queue, final int pairs)
        {
            super(queue, pairs);
        }
    }

    static final class LocalQueueUser extends QueueUser
    {
        LocalQueueUser(final ConcurrentLinkedQueue<Integer> queue, final int pairs)
        {
            super(queue, pairs);
        }
    }

    static final class MovedPrivateCollections extends PrivateCollections
    {
        MovedPrivateCollections(final int elements)
        {
            super(elements);
        }
    }

    static final class LocalPrivateCollections extends PrivateCollections
    {
        LocalPrivateCollections(final int elements)
        {
            super(elements);
        }
    }

    static final class MovedBarrierSide extends BarrierSide
    {
        MovedBarrierSide(final CyclicBarrier barrier, final int side, final int rounds)
        {
            super(barrier, side, rounds);
        }
    }

    static final class LocalBarrierSide extends BarrierSide
    {
        LocalBarrierSide(final CyclicBarrier barrier, final int side, final int rounds)
        {
            super(barrier, side, rounds);
        }
    }

    static final class MovedPrivateCompute extends PrivateCompute
    {
        MovedPrivateCompute(final int cells, final int passes)
        {
            super(cells, passes);
        }
    }

    static final class LocalPrivateCompute extends PrivateCompute
    {
        LocalPrivateCompute(final int cells, final int passes)
        {
            super(cells, passes);
        }
    }

    static final class MovedMonitorSide extends MonitorSide
    {
        MovedMonitorSide(final Baton baton, final int side, final int rounds)
        {
            super(baton, side, rounds);
        }
    }

    static final class LocalMonitorSide extends MonitorSide
    {
        LocalMonitorSide(final Baton baton, final int side, final int rounds)
        {
            super(baton, side, rounds);
        }
    }

    static final class MovedVolatileSide extends VolatileSide
    {
        MovedVolatileSide(final Baton baton, final int side, final int rounds)
        {
            super(baton, side, rounds);
        }
    }

    static final class LocalVolatileSide extends VolatileSide
    {
        LocalVolatileSide(final Baton baton, final int side, final int rounds)
        {
            super(baton, side, rounds);
        }
    }

    static final class MovedReentry extends Reentry
    {
        MovedReentry(final int iterations)
        {
            super(iterations);
        }
    }

    static final class LocalReentry extends Reentry
    {
        LocalReentry(final int iterations)
        {
            super(iterations);
        }
    }

    static final class MovedStencilWorker extends StencilWorker
    {
        MovedStencilWorker(final double[][] grids, final SweepBarrier barrier, final int from, final int to, final int s)
        {
            super(grids, barrier, from, to, s);
        }
    }

    static final class LocalStencilWorker extends StencilWorker
    {
        LocalStencilWorker(final double[][] grids, final SweepBarrier barrier, final int from, final int to, final int s)
        {
            super(grids, barrier, from, to, s);
        }
    }

    private SharedObjectsLatency()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Args parsed = Args.parse(args, Set.of("iterations", "warmup", "cells", "sweeps", "timeoutS"));
        Args.exitAfter("shared-objects", parsed.integer("timeoutS", 300));
        final int iterations = parsed.integer("iterations", 2000);
        final int warmup = parsed.integer("warmup", 200);
        final int cells = parsed.integer("cells", 65536);
        final int sweeps = parsed.integer("sweeps", 50);
        final StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-34s %12s %12s %12s%n", "figure (us unless said)", "p50", "p99", "n"));

        for (final boolean moved : new boolean[] {false, true})
        {
            final String kind = moved ? "moved" : "local";
            pair(moved ? new MovedMonitorSide(new Baton(), 0, 1) : new LocalMonitorSide(new Baton(), 0, 1), null);
            final Baton baton = new Baton();
            final MonitorSide ping = moved ? new MovedMonitorSide(baton, 0, warmup + iterations) :
                new LocalMonitorSide(baton, 0, warmup + iterations);
            final MonitorSide pong = moved ? new MovedMonitorSide(baton, 1, warmup + iterations) :
                new LocalMonitorSide(baton, 1, warmup + iterations);
            pair(ping, pong);
            row(out, "monitor ping-pong round trip, " + kind, ping.roundTripNs, warmup, iterations - 1);

            final Baton flag = new Baton();
            final VolatileSide vping = moved ? new MovedVolatileSide(flag, 0, warmup + iterations) :
                new LocalVolatileSide(flag, 0, warmup + iterations);
            final VolatileSide vpong = moved ? new MovedVolatileSide(flag, 1, warmup + iterations) :
                new LocalVolatileSide(flag, 1, warmup + iterations);
            pair(vping, vpong);
            row(out, "volatile ping-pong round trip, " + kind, vping.roundTripNs, warmup, iterations - 1);

            final AtomicInteger counter = new AtomicInteger();
            final Incrementer incrementer = moved ? new MovedIncrementer(counter, warmup + iterations) :
                new LocalIncrementer(counter, warmup + iterations);
            pair(incrementer, null);
            row(out, "AtomicInteger increment, " + kind, incrementer.incrementNs, warmup, iterations);
            check(counter.get() == warmup + iterations, "the counter reads " + counter.get());

            final ConcurrentLinkedQueue<Integer> queue = new ConcurrentLinkedQueue<>();
            final QueueUser queueUser = moved ? new MovedQueueUser(queue, warmup + iterations) :
                new LocalQueueUser(queue, warmup + iterations);
            pair(queueUser, null);
            row(out, "ConcurrentLinkedQueue offer + poll, " + kind, queueUser.pairNs, warmup, iterations);
            check(queue.isEmpty(), "the queue holds " + queue.size());

            final PrivateCollections collections = moved ? new MovedPrivateCollections(PRIVATE_ELEMENTS) :
                new LocalPrivateCollections(PRIVATE_ELEMENTS);
            pair(collections, null);
            out.append(String.format(Locale.ROOT, "%-34s %12.1f ms warm (median of rounds 2-%d), checksum %d%n",
                "private list + map " + PRIVATE_ELEMENTS + ", " + kind, collections.warmMs(),
                PrivateCollections.ROUNDS, collections.checksum));

            final CyclicBarrier meeting = new CyclicBarrier(2);
            final BarrierSide first = moved ? new MovedBarrierSide(meeting, 0, warmup + iterations) :
                new LocalBarrierSide(meeting, 0, warmup + iterations);
            final BarrierSide second = moved ? new MovedBarrierSide(meeting, 1, warmup + iterations) :
                new LocalBarrierSide(meeting, 1, warmup + iterations);
            pair(first, second);
            row(out, "CyclicBarrier round (2 threads), " + kind, first.roundNs, warmup, iterations);

            final PrivateCompute compute = moved ? new MovedPrivateCompute(cells, COMPUTE_PASSES) :
                new LocalPrivateCompute(cells, COMPUTE_PASSES);
            pair(compute, null);
            out.append(String.format(Locale.ROOT, "%-34s %12.1f ms warm (median of rounds 2-%d), %.1f ms cold, " +
                "checksum %d%n", "private compute " + cells + " x " + COMPUTE_PASSES + ", " + kind, compute.warmMs(),
                PrivateCompute.ROUNDS, compute.coldMs(), compute.checksum));

            final Reentry reentry = moved ? new MovedReentry(1_000_000) : new LocalReentry(1_000_000);
            pair(reentry, null);
            out.append(String.format(Locale.ROOT, "%-34s %12.1f ns per re-entry%n", "re-entry, " + kind,
                reentry.nsPerReentry));

            for (final int workers : new int[] {1, 2})
            {
                final double[][] grids = {new double[cells], new double[cells]};
                for (int i = 0; i < cells; i++)
                {
                    grids[0][i] = i % 7;
                }
                final SweepBarrier barrier = new SweepBarrier(workers);
                final Runnable[] team = new Runnable[workers];
                for (int w = 0; w < workers; w++)
                {
                    final int from = w * cells / workers;
                    final int to = (w + 1) * cells / workers;
                    team[w] = moved ? new MovedStencilWorker(grids, barrier, from, to, sweeps) :
                        new LocalStencilWorker(grids, barrier, from, to, sweeps);
                }
                final long began = System.nanoTime();
                pair(team[0], workers > 1 ? team[1] : null);
                final double ms = (System.nanoTime() - began) / 1e6;
                double checksum = 0;
                for (final double v : grids[sweeps & 1])
                {
                    checksum += v;
                }
                out.append(String.format(Locale.ROOT, "%-34s %12.1f ms, checksum %.6f%n",
                    "stencil " + cells + " x " + sweeps + ", " + workers + " " + kind, ms, checksum));
            }
        }
        System.out.print(out);
        System.exit(0);
    }

    private static void pair(final Runnable first, final Runnable second) throws InterruptedException
    {
        final Thread a = new Thread(first, "first");
        final Thread b = null == second ? null : new Thread(second, "second");
        a.start();
        if (null != b)
        {
            b.start();
        }
        a.join();
        if (null != b)
        {
            b.join();
        }
    }

    /** The median of the rounds after the first, which is cold (the JIT has not compiled the loop yet). */
    private static double warmMedianMs(final double[] roundMs)
    {
        final double[] warm = Arrays.copyOfRange(roundMs, 1, roundMs.length);
        Arrays.sort(warm);
        return warm[warm.length / 2];
    }

    private static void check(final boolean holds, final String what)
    {
        if (!holds)
        {
            throw new IllegalStateException("wrong answer: " + what);
        }
    }

    private static void row(final StringBuilder out, final String name, final long[] ns, final int from, final int count)
    {
        final Histogram histogram = new Histogram(3);
        for (int i = from; i < from + count && i < ns.length; i++)
        {
            if (ns[i] > 0)
            {
                histogram.recordValue(ns[i]);
            }
        }
        out.append(String.format(Locale.ROOT, "%-34s %12.1f %12.1f %12d%n", name,
            histogram.getValueAtPercentile(50) / 1e3, histogram.getValueAtPercentile(99) / 1e3,
            histogram.getTotalCount()));
    }
}
