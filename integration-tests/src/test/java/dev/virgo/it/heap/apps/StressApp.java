package dev.virgo.it.heap.apps;

import dev.virgo.api.heap.GlobalAddress;
import dev.virgo.api.heap.SharedHeap;
import dev.virgo.api.heap.SharedMemory;
import dev.virgo.it.apps.Check;
import dev.virgo.it.heap.HistoryChecker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A randomized stress of the shared heap whose histories {@link HistoryChecker} verifies: threads at the origin and
 * on both nodes do random plain puts and gets, compare-and-sets and get-and-adds on a few addresses homed on all three
 * members, several to a page, recording each operation and what it returned. The histories come back with the join
 * write-back; the origin adds every address's final value and checks that each address was coherent, every atomic
 * update atomic and every counter exact.
 *
 * <p>Arguments: operations per thread (1,500), threads per JVM (2), the random seed (printed, so that a failing run
 * can be repeated with the same choices, if not the same interleaving).
 */
public final class StressApp
{
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
    /** Offsets of the data longs in each member's two pages (in page-size units and bytes). */
    private static final int[][] DATA_SLOTS = {{0, 0}, {0, 8}, {0, 16}, {1, 0}, {1, 8}};
    /** The counter shares the first page with data. */
    private static final int COUNTER_OFFSET = 24;
    private static final int VALUE_SHIFT = 40;

    private StressApp()
    {
    }

    /** One stressing thread; its history comes back in {@link #history}. */
    static final class Stressor extends Party
    {
        private final int index;
        private final long[] data;
        private final long[] counters;
        private final int operations;
        private final long seed;
        private final SpinBarrier start;
        long[] history;

        Stressor(final Parties parties, final String name, final int index, final long[] data, final long[] counters,
            final int operations, final long seed, final SpinBarrier start)
        {
            super(name, parties);
            this.index = index;
            this.data = data;
            this.counters = counters;
            this.operations = operations;
            this.seed = seed;
            this.start = start;
        }

        @Override
        protected void body()
        {
            final SharedMemory memory = SharedHeap.memory();
            final SplittableRandom random = new SplittableRandom(seed);
            final HistoryChecker.Recorder recorder = new HistoryChecker.Recorder(operations);
            final long[] lastSeen = new long[data.length];
            long written = 0;
            start.await(name);
            for (int i = 0; i < operations; i++)
            {
                if (random.nextInt(5) == 0)
                {
                    final long counter = counters[random.nextInt(counters.length)];
                    if (random.nextInt(10) < 7)
                    {
                        final long delta = 1 + random.nextInt(4);
                        recorder.getAndAdd(counter, delta, memory.getAndAddLong(counter, delta));
                    }
                    else
                    {
                        recorder.get(counter, memory.getLong(counter));
                    }
                    continue;
                }
                final int slot = random.nextInt(data.length);
                final long address = data[slot];
                final int kind = random.nextInt(20);
                if (kind < 9)
                {
                    lastSeen[slot] = memory.getLong(address);
                    recorder.get(address, lastSeen[slot]);
                }
                else if (kind < 16)
                {
                    final long value = ((long)(index + 1) << VALUE_SHIFT) | ++written;
                    memory.putLong(address, value);
                    recorder.put(address, value);
                    lastSeen[slot] = value;
                }
                else
                {
                    final long update = ((long)(index + 1) << VALUE_SHIFT) | ++written;
                    final boolean success = memory.compareAndSetLong(address, lastSeen[slot], update);
                    recorder.compareAndSet(address, lastSeen[slot], update, success);
                    if (success)
                    {
                        lastSeen[slot] = update;
                    }
                }
            }
            history = recorder.toArray();
        }

        @Override
        protected void onFailure()
        {
            start.breakIt();
        }
    }

    public static void main(final String[] args) throws Exception
    {
        final int operations = args.length > 0 ? Integer.parseInt(args[0]) : 1_500;
        final int threadsPerJvm = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        final long seed = args.length > 2 ? Long.parseLong(args[2]) : System.nanoTime();
        final SharedMemory memory = SharedHeap.memory();
        final Parties parties = new Parties(memory, 32);
        final long[] homes = Allocation.onEveryMember(memory, parties, memory.pageSizeBytes() * 2L);
        if (null == homes)
        {
            return;
        }
        final long[] data = new long[homes.length * DATA_SLOTS.length];
        final long[] counters = new long[homes.length];
        for (int h = 0; h < homes.length; h++)
        {
            for (int s = 0; s < DATA_SLOTS.length; s++)
            {
                data[h * DATA_SLOTS.length + s] =
                    homes[h] + (long)DATA_SLOTS[s][0] * memory.pageSizeBytes() + DATA_SLOTS[s][1];
            }
            counters[h] = homes[h] + COUNTER_OFFSET;
        }

        final int threads = threadsPerJvm * 3;
        final SpinBarrier start = SpinBarrier.create(memory, threads, START_TIMEOUT);
        final List<Stressor> stressors = new ArrayList<>();
        for (int t = 0; t < threads; t++)
        {
            // Moved ones first, back to back, so that they alternate between the nodes.
            final Placement placement = t < threadsPerJvm * 2 ? Placement.MOVED : Placement.LOCAL;
            stressors.add(new Stressor(parties, "stress-" + t + "-" + placement.name().toLowerCase(), t, data,
                counters, operations, seed + t, start));
        }
        final long startNs = System.nanoTime();
        for (int t = 0; t < threads; t++)
        {
            parties.start(stressors.get(t), t < threadsPerJvm * 2 ? Placement.MOVED : Placement.LOCAL);
        }
        if (!parties.joinAll("stress", RUN_TIMEOUT))
        {
            System.out.println("seed " + seed);
            return;
        }
        final long runMs = (System.nanoTime() - startNs) / 1_000_000;

        final HistoryChecker checker = new HistoryChecker();
        long othersWrites = 0;
        for (final Stressor stressor : stressors)
        {
            checker.thread(stressor.name, stressor.history);
            othersWrites += readsOfOtherThreadsWrites(stressor);
        }
        for (final long address : data)
        {
            checker.finalValue(address, memory.getLong(address));
        }
        for (final long counter : counters)
        {
            checker.counter(counter).finalValue(counter, memory.getLong(counter));
        }
        final long checkStartNs = System.nanoTime();
        final HistoryChecker.Result result = checker.check();
        System.out.println("STRESS seed " + seed + ": " + threads + " threads over pids " +
            Parties.pidsOf(stressors) + ", " + result.operations + " operations on " + data.length +
            " data addresses and " + counters.length + " counters (homes " + GlobalAddress.toString(homes[0]) + ", " +
            GlobalAddress.toString(homes[1]) + ", " + GlobalAddress.toString(homes[2]) + ") in " + runMs + " ms; " +
            othersWrites + " gets returned another thread's write; checked in " +
            (System.nanoTime() - checkStartNs) / 1_000_000 + " ms: " + result.violations.size() + " violation(s)");
        for (final String violation : result.violations)
        {
            System.out.println("VIOLATION " + violation);
        }
        Check.that("stress-histories-coherent", result.ok() && result.operations == threads * operations,
            result.violations.size() + " violation(s), " + result.operations + " of " + threads * operations +
                " operations recorded (seed " + seed + ")");
        Check.that("stress-shared-for-real", othersWrites > 0, "no get returned another thread's write");
        Check.that("stress-in-three-jvms", Parties.pidsOf(stressors).size() == 3, "pids " + Parties.pidsOf(stressors));
        parties.checkRanInJvms("threads-in-three-jvms", 3);
        System.out.println("DONE");
    }

    private static long readsOfOtherThreadsWrites(final Stressor stressor)
    {
        final long[] ops = stressor.history;
        long count = 0;
        for (int at = 0; at < ops.length; at += HistoryChecker.LONGS_PER_OP)
        {
            final long writer = ops[at + 2] >>> VALUE_SHIFT;
            if (ops[at] == HistoryChecker.GET && writer != 0 && writer != stressor.index + 1)
            {
                count++;
            }
        }
        return count;
    }
}
