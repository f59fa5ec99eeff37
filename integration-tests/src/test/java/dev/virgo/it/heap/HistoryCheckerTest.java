package dev.virgo.it.heap;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The history checker accepts what one memory can explain and rejects, by name, what it cannot. */
class HistoryCheckerTest
{
    private static final long X = 0x1_0000_0000_1000L;
    private static final long Y = 0x2_0000_0000_2008L;

    @Test
    void shouldAcceptInterleavedPutsAndGetsThatOneMemoryExplains()
    {
        final HistoryChecker.Recorder writer = new HistoryChecker.Recorder(4);
        writer.put(X, 1);
        writer.put(X, 2);
        writer.put(Y, 7);
        final HistoryChecker.Recorder reader = new HistoryChecker.Recorder(4);
        reader.get(X, 0);
        reader.get(X, 1);
        reader.get(X, 1);
        reader.get(Y, 0);   // a different address: no order with X is implied
        reader.get(X, 2);
        reader.put(X, 3);
        reader.get(X, 3);

        final HistoryChecker.Result result = new HistoryChecker()
            .thread("writer", writer.toArray())
            .thread("reader", reader.toArray())
            .finalValue(X, 3)
            .finalValue(Y, 7)
            .check();

        assertTrue(result.ok(), result.toString());
        assertEquals(2, result.addresses);
        assertEquals(10, result.operations);
    }

    @Test
    void shouldAcceptAtomicUpdatesChainedOnTheWritesTheyRead()
    {
        final HistoryChecker.Recorder first = new HistoryChecker.Recorder(4);
        first.getAndAdd(X, 1, 0);
        first.getAndAdd(X, 5, 3);
        first.compareAndSet(Y, 0, 10, true);
        first.compareAndSet(Y, 0, 11, false);
        final HistoryChecker.Recorder second = new HistoryChecker.Recorder(4);
        second.getAndAdd(X, 2, 1);
        second.get(X, 8);
        second.compareAndSet(Y, 10, 12, true);
        second.put(Y, 13);

        final HistoryChecker.Result result = new HistoryChecker()
            .thread("first", first.toArray())
            .thread("second", second.toArray())
            .counter(X)
            .finalValue(X, 8)
            .finalValue(Y, 13)
            .check();

        assertTrue(result.ok(), result.toString());
    }

    @Test
    void shouldAcceptEveryHistoryOfASequentiallyConsistentMemory()
    {
        for (long seed = 0; seed < 300; seed++)
        {
            final HistoryChecker.Result result = SimulatedRun.of(seed).checker().check();
            assertTrue(result.ok(), "seed " + seed + ": " + result);
        }
    }

    @Test
    void shouldRejectAStaleReadAfterANewerRead()
    {
        final HistoryChecker.Recorder writer = new HistoryChecker.Recorder(2);
        writer.put(X, 1);
        writer.put(X, 2);
        final HistoryChecker.Recorder reader = new HistoryChecker.Recorder(2);
        reader.get(X, 2);
        reader.get(X, 1);

        final String violation = onlyViolation(new HistoryChecker()
            .thread("writer", writer.toArray())
            .thread("reader", reader.toArray()));

        assertTrue(violation.startsWith("address 0x1000000001000: "), violation);
        assertTrue(violation.contains("reader op#0 get()=2") && violation.contains("reader op#1 get()=1"), violation);
        assertTrue(violation.contains("writer op#0 put(1)") && violation.contains("writer op#1 put(2)"), violation);
        assertTrue(violation.contains("cycle"), violation);
    }

    @Test
    void shouldRejectAReadOfAValueNeverWritten()
    {
        final HistoryChecker.Recorder writer = new HistoryChecker.Recorder(1);
        writer.put(X, 1);
        final HistoryChecker.Recorder reader = new HistoryChecker.Recorder(1);
        reader.get(X, 42);

        final String violation = onlyViolation(new HistoryChecker()
            .thread("writer", writer.toArray())
            .thread("reader", reader.toArray()));

        assertTrue(violation.contains("reader op#0 get()=42 read 42, a value no thread wrote"), violation);
    }

    @Test
    void shouldRejectALostGetAndAdd()
    {
        final HistoryChecker.Recorder first = new HistoryChecker.Recorder(2);
        first.getAndAdd(X, 1, 0);
        first.getAndAdd(X, 1, 2);
        final HistoryChecker.Recorder second = new HistoryChecker.Recorder(1);
        second.getAndAdd(X, 2, 0);

        final String violation = onlyViolation(new HistoryChecker()
            .thread("first", first.toArray())
            .thread("second", second.toArray())
            .counter(X)
            .finalValue(X, 3));

        assertTrue(violation.contains("first op#0 getAndAdd(1)=0") && violation.contains("second op#0 getAndAdd(2)=0"),
            violation);
        assertTrue(violation.contains("one update was lost"), violation);
    }

    @Test
    void shouldRejectACounterThatDoesNotEndAtTheSumOfItsDeltas()
    {
        final HistoryChecker.Recorder first = new HistoryChecker.Recorder(1);
        first.getAndAdd(X, 1, 0);
        final HistoryChecker.Recorder second = new HistoryChecker.Recorder(1);
        second.getAndAdd(X, 1, 1);

        final HistoryChecker.Result result = new HistoryChecker()
            .thread("first", first.toArray())
            .thread("second", second.toArray())
            .counter(X)
            .finalValue(X, 1)
            .check();

        assertFalse(result.ok(), "accepted: " + result);
        assertTrue(result.violations.get(0).contains("counter ended at 1 but its get-and-adds added 2"),
            result.toString());
        assertTrue(result.violations.get(1).contains("ended holding 1 (written by first op#0 getAndAdd(1)=0), yet " +
            "second op#0 getAndAdd(1)=1 updated that value"), result.toString());
    }

    @Test
    void shouldRejectAReadOlderThanTheThreadsOwnWrite()
    {
        final HistoryChecker.Recorder other = new HistoryChecker.Recorder(1);
        other.put(X, 1);
        final HistoryChecker.Recorder self = new HistoryChecker.Recorder(2);
        self.get(X, 1);
        self.put(X, 2);
        self.get(X, 0);

        final String violation = onlyViolation(new HistoryChecker()
            .thread("other", other.toArray())
            .thread("self", self.toArray()));

        assertTrue(violation.contains("self op#1 put(2)") && violation.contains("self op#2 get()=0"), violation);
    }

    @Test
    void shouldRejectTwoThreadsThatEachReadTheOthersWriteBeforeWritingTheirOwn()
    {
        final HistoryChecker.Recorder first = new HistoryChecker.Recorder(2);
        first.get(X, 2);
        first.put(X, 1);
        final HistoryChecker.Recorder second = new HistoryChecker.Recorder(2);
        second.get(X, 1);
        second.put(X, 2);

        final String violation = onlyViolation(new HistoryChecker()
            .thread("first", first.toArray())
            .thread("second", second.toArray()));

        assertTrue(violation.contains("cycle") && violation.contains("first op#1 put(1)") &&
            violation.contains("second op#1 put(2)"), violation);
    }

    @Test
    void shouldRejectTwoSuccessfulCompareAndSetsFromOneValue()
    {
        final HistoryChecker.Recorder first = new HistoryChecker.Recorder(1);
        first.compareAndSet(X, 0, 1, true);
        final HistoryChecker.Recorder second = new HistoryChecker.Recorder(1);
        second.compareAndSet(X, 0, 2, true);

        final String violation = onlyViolation(new HistoryChecker()
            .thread("first", first.toArray())
            .thread("second", second.toArray()));

        assertTrue(violation.contains("both read 0") && violation.contains("one update was lost"), violation);
    }

    @Test
    void shouldRejectAFinalValueOlderThanAWriteAThreadSaw()
    {
        final HistoryChecker.Recorder writer = new HistoryChecker.Recorder(2);
        writer.put(X, 1);
        writer.put(X, 2);

        final String violation = onlyViolation(new HistoryChecker()
            .thread("writer", writer.toArray())
            .finalValue(X, 1));

        assertTrue(violation.contains("the final value 1 is the last write"), violation);
    }

    @Test
    void shouldRejectACounterWrittenByAPlainPut()
    {
        final HistoryChecker.Recorder writer = new HistoryChecker.Recorder(2);
        writer.getAndAdd(X, 1, 0);
        writer.put(X, 9);

        final String violation = onlyViolation(new HistoryChecker().thread("writer", writer.toArray()).counter(X));

        assertTrue(violation.contains("a counter, written by writer op#1 put(9)"), violation);
    }

    @Test
    void shouldFindOneStaleReadInALongHistoryOfASequentiallyConsistentMemory()
    {
        int mutated = 0;
        for (long seed = 0; seed < 100; seed++)
        {
            final SimulatedRun run = SimulatedRun.of(seed);
            if (run.makeOneReadStale())
            {
                mutated++;
                final HistoryChecker.Result result = run.checker().check();
                assertFalse(result.ok(), "seed " + seed + ": a stale read went unnoticed");
                assertTrue(result.violations.get(0).contains(run.staleOp), result.violations.get(0));
            }
        }
        assertTrue(mutated > 50, "only " + mutated + " runs had a read to make stale");
    }

    private static String onlyViolation(final HistoryChecker checker)
    {
        final HistoryChecker.Result result = checker.check();
        assertFalse(result.ok(), "accepted: " + result);
        assertEquals(1, result.violations.size(), result.toString());
        return result.violations.get(0);
    }

    /** Threads taking turns at random on one sequentially consistent memory, recording what they did and saw. */
    private static final class SimulatedRun
    {
        private static final int THREADS = 4;
        private static final int OPS = 300;
        private static final long[] DATA = {X, X + 8, Y};
        private static final long COUNTER = 0x3_0000_0000_0000L;

        private final Map<Long, Long> memory = new HashMap<>();
        private final List<long[]> histories = new ArrayList<>();
        String staleOp;

        static SimulatedRun of(final long seed)
        {
            final SimulatedRun run = new SimulatedRun();
            run.simulate(new SplittableRandom(seed));
            return run;
        }

        private void simulate(final SplittableRandom random)
        {
            final HistoryChecker.Recorder[] recorders = new HistoryChecker.Recorder[THREADS];
            final int[] done = new int[THREADS];
            final long[] lastSeen = new long[THREADS];
            for (int t = 0; t < THREADS; t++)
            {
                recorders[t] = new HistoryChecker.Recorder(OPS);
            }
            int left = THREADS * OPS;
            long unique = 0;
            while (left > 0)
            {
                final int t = random.nextInt(THREADS);
                if (done[t] == OPS)
                {
                    continue;
                }
                done[t]++;
                left--;
                final HistoryChecker.Recorder recorder = recorders[t];
                if (random.nextInt(4) == 0)
                {
                    if (random.nextBoolean())
                    {
                        final long delta = 1 + random.nextInt(3);
                        recorder.getAndAdd(COUNTER, delta, read(COUNTER));
                        memory.merge(COUNTER, delta, Long::sum);
                    }
                    else
                    {
                        recorder.get(COUNTER, read(COUNTER));
                    }
                    continue;
                }
                final long address = DATA[random.nextInt(DATA.length)];
                final int kind = random.nextInt(3);
                if (kind == 0)
                {
                    final long value = ++unique;
                    recorder.put(address, value);
                    memory.put(address, value);
                }
                else if (kind == 1)
                {
                    lastSeen[t] = read(address);
                    recorder.get(address, lastSeen[t]);
                }
                else
                {
                    final long expected = random.nextBoolean() ? read(address) : lastSeen[t];
                    final long update = ++unique;
                    final boolean success = read(address) == expected;
                    if (success)
                    {
                        memory.put(address, update);
                    }
                    recorder.compareAndSet(address, expected, update, success);
                }
            }
            for (final HistoryChecker.Recorder recorder : recorders)
            {
                histories.add(recorder.toArray());
            }
        }

        private long read(final long address)
        {
            return memory.getOrDefault(address, 0L);
        }

        /** Makes a get that follows a get of a written value, by the same thread of the same address, read 0. */
        boolean makeOneReadStale()
        {
            for (int t = 0; t < histories.size(); t++)
            {
                final long[] ops = histories.get(t);
                final Map<Long, Boolean> sawAWrite = new HashMap<>();
                for (int i = 0; i < ops.length / HistoryChecker.LONGS_PER_OP; i++)
                {
                    final int at = i * HistoryChecker.LONGS_PER_OP;
                    if (ops[at] != HistoryChecker.GET)
                    {
                        continue;
                    }
                    final long address = ops[at + 1];
                    if (sawAWrite.getOrDefault(address, false) && ops[at + 2] != 0)
                    {
                        ops[at + 2] = 0;
                        staleOp = "thread-" + t + " op#" + i + " get()=0";
                        return true;
                    }
                    if (ops[at + 2] != 0)
                    {
                        sawAWrite.put(address, true);
                    }
                }
            }
            return false;
        }

        HistoryChecker checker()
        {
            final HistoryChecker checker = new HistoryChecker().counter(COUNTER);
            for (int t = 0; t < histories.size(); t++)
            {
                checker.thread("thread-" + t, histories.get(t));
            }
            memory.forEach(checker::finalValue);
            return checker;
        }
    }
}
