package dev.virgo.it.heap.apps;

import dev.virgo.api.heap.GlobalAddress;
import dev.virgo.api.heap.SharedHeap;
import dev.virgo.api.heap.SharedIntArray;
import dev.virgo.api.heap.SharedLongArray;
import dev.virgo.api.heap.SharedMemory;
import dev.virgo.api.heap.sync.SharedLock;
import dev.virgo.it.apps.Check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Counting across three JVMs, and seeing a remote put while spinning:
 * <ul>
 *   <li>get-and-add on a long and on an int, and compare-and-set increments, by a thread at the origin and one on
 *   each node at once: each counter ends exact, and the previous values the get-and-adds returned are every number
 *   from 0 to the total exactly once (none lost, none repeated);</li>
 *   <li>non-atomic increments (get, then put) of two longs under one {@link SharedLock}, by two threads at the origin
 *   and one on each node, the lock travelling in the moved threads' graphs: both end exact, and no holder ever finds
 *   them different (no two holders at once);</li>
 *   <li>a moved thread spinning on a plain get until the origin puts, and two moved threads on different nodes
 *   doing the same to each other (ping-pong): every put is seen within {@code SPIN_ROUND_LIMIT}.</li>
 * </ul>
 * Arguments: increments per thread for the atomics (2,000), for the lock (300), ping-pong rounds (100).
 */
public final class CountersApp
{
    private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(60);
    private static final long LOCK_TIMEOUT_S = 20;
    /** What "promptly" means here: a put seen by a spinning thread on another JVM within this, every time. */
    static final long SPIN_ROUND_LIMIT_MS = 1_000;
    /** Between two operations of a thread, so that the threads interleave (see {@link Party#pause}). */
    private static final long PAUSE_NS = 20_000;

    private CountersApp()
    {
    }

    /** Increments three counters, each homed on a different member, with the heap's atomics. */
    static final class Incrementer extends Party
    {
        private final SharedLongArray longCounter;
        private final SharedIntArray intCounter;
        private final SharedLongArray casCounter;
        private final int increments;
        private final SpinBarrier start;
        long[] previousLongs;
        int[] previousInts;
        long casRetries;

        Incrementer(final Parties parties, final String name, final SharedLongArray longCounter,
            final SharedIntArray intCounter, final SharedLongArray casCounter, final int increments,
            final SpinBarrier start)
        {
            super(name, parties);
            this.longCounter = longCounter;
            this.intCounter = intCounter;
            this.casCounter = casCounter;
            this.increments = increments;
            this.start = start;
        }

        @Override
        protected void body()
        {
            start.await(name);
            final long[] longs = new long[increments];
            final int[] ints = new int[increments];
            long retries = 0;
            for (int i = 0; i < increments; i++)
            {
                longs[i] = longCounter.getAndAdd(0, 1);
                ints[i] = intCounter.getAndAdd(0, 1);
                long seen;
                while (!casCounter.compareAndSet(0, seen = casCounter.get(0), seen + 1))
                {
                    retries++;
                }
                pause(PAUSE_NS);
            }
            previousLongs = longs;
            previousInts = ints;
            casRetries = retries;
        }

        @Override
        protected void onFailure()
        {
            start.breakIt();
        }

        /** @return how often another thread's get-and-add came between two of this thread's. */
        long interleavings()
        {
            long count = 0;
            for (int i = 1; i < previousLongs.length; i++)
            {
                count += previousLongs[i] == previousLongs[i - 1] + 1 ? 0 : 1;
            }
            return count;
        }
    }

    /** Increments two longs with plain get and put while holding the lock, checking they are equal each time. */
    static final class LockedIncrementer extends Party
    {
        private final SharedLock lock;
        private final SharedLongArray cells;
        private final int increments;
        private final SpinBarrier start;
        long torn;
        long notHeld;
        long handoffsFromOtherJvms;

        LockedIncrementer(final Parties parties, final String name, final SharedLock lock, final SharedLongArray cells,
            final int increments, final SpinBarrier start)
        {
            super(name, parties);
            this.lock = lock;
            this.cells = cells;
            this.increments = increments;
            this.start = start;
        }

        @Override
        protected void onFailure()
        {
            start.breakIt();
        }

        @Override
        protected void body() throws InterruptedException
        {
            start.await(name);
            final long pid = ProcessHandle.current().pid();
            for (int i = 0; i < increments; i++)
            {
                if (!lock.tryLock(LOCK_TIMEOUT_S, TimeUnit.SECONDS))
                {
                    throw new IllegalStateException(name + ": " + lock + " not acquired within " + LOCK_TIMEOUT_S +
                        " s at increment " + i);
                }
                try
                {
                    notHeld += lock.isHeldByCurrentThread() ? 0 : 1;
                    final long a = cells.get(0);
                    cells.set(0, a + 1);
                    final long b = cells.get(1);
                    torn += a == b ? 0 : 1;
                    cells.set(1, b + 1);
                    final long previousHolder = cells.get(2);
                    handoffsFromOtherJvms += previousHolder != 0 && previousHolder != pid ? 1 : 0;
                    cells.set(2, pid);
                }
                finally
                {
                    lock.unlock();
                }
                pause(PAUSE_NS);
            }
        }
    }

    /**
     * One side of a ping-pong on two arrays of flags. The spinner ({@code leads} false), in round {@code k}, spins on a
     * plain get of {@code pings[k]} with nothing else in the loop, as a program that waits on a flag without locks or
     * volatiles does, until it is not 0, then puts {@code pongs[k]}. The leader puts {@code pings[k]} and waits for
     * {@code pongs[k]}, yielding between gets so that the busy spinner and the JVMs' own threads have the cores,
     * and times the round.
     */
    static final class PingPong extends Party
    {
        private final SharedLongArray pings;
        private final SharedLongArray pongs;
        private final boolean leads;
        private final int rounds;
        long[] roundNs;

        PingPong(final Parties parties, final String name, final SharedLongArray pings, final SharedLongArray pongs,
            final boolean leads, final int rounds)
        {
            super(name, parties);
            this.pings = pings;
            this.pongs = pongs;
            this.leads = leads;
            this.rounds = rounds;
        }

        @Override
        protected void body()
        {
            roundNs = play(name, pings, pongs, leads, rounds);
        }
    }

    /** Round 0 only tells the leader the spinner is there; rounds 1.. are timed. */
    static long[] play(final String who, final SharedLongArray pings, final SharedLongArray pongs, final boolean leads,
        final int rounds)
    {
        final long[] roundNs = new long[rounds];
        for (int k = 0; k <= rounds; k++)
        {
            final long startNs = System.nanoTime();
            if (leads)
            {
                pings.set(k, 1);
                awaitSet(who, pongs, k, true);
            }
            else
            {
                awaitSet(who, pings, k, false);
                pongs.set(k, 1);
            }
            if (k > 0)
            {
                roundNs[k - 1] = System.nanoTime() - startNs;
            }
        }
        return roundNs;
    }

    /** Gets element {@code index} until it is not 0: a bare busy spin, or yielding between gets; bounded. */
    private static void awaitSet(final String who, final SharedLongArray flags, final int index, final boolean yield)
    {
        final long startNs = System.nanoTime();
        // Round 0 waits for the other side to start; every other round must be prompt.
        final long limitNs = TimeUnit.MILLISECONDS.toNanos(index == 0 ? 30_000 : SPIN_ROUND_LIMIT_MS);
        long spins = 0;
        while (flags.get(index) == 0)
        {
            if (yield)
            {
                Thread.yield();
            }
            if ((++spins & 0x3FF) == 0 && System.nanoTime() - startNs > limitNs)
            {
                throw new IllegalStateException(who + ": element " + index + " of " + flags + " still 0 after " +
                    TimeUnit.NANOSECONDS.toMillis(limitNs) + " ms of " + (yield ? "waiting" : "spinning") + " (" +
                    spins + " gets)");
            }
        }
    }

    public static void main(final String[] args) throws Exception
    {
        final int increments = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        final int lockedIncrements = args.length > 1 ? Integer.parseInt(args[1]) : 600;
        final int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        final SharedMemory memory = SharedHeap.memory();
        final Parties parties = new Parties(memory, 32);
        final long[] homes = Allocation.onEveryMember(memory, parties, memory.pageSizeBytes() * 4L);
        if (null == homes)
        {
            return;
        }
        boolean ok = atomics(memory, parties, homes, increments);
        ok &= locked(memory, parties, homes, lockedIncrements);
        ok &= spinning(memory, parties, homes, rounds);
        parties.checkRanInJvms("threads-in-three-jvms", 3);
        System.out.println(ok ? "DONE" : "DONE with failures");
    }

    private static boolean atomics(final SharedMemory memory, final Parties parties, final long[] homes,
        final int increments) throws InterruptedException
    {
        final SharedLongArray longCounter = SharedLongArray.at(memory, homes[1], 1);
        final SharedIntArray intCounter = SharedIntArray.at(memory, homes[0], 1);
        final SharedLongArray casCounter = SharedLongArray.at(memory, homes[2], 1);
        final List<Incrementer> incrementers = new ArrayList<>();
        final SpinBarrier start = SpinBarrier.create(memory, 3, PHASE_TIMEOUT);
        final long startNs = System.nanoTime();
        for (final Placement placement : new Placement[] {Placement.MOVED, Placement.MOVED, Placement.LOCAL})
        {
            final Incrementer incrementer = new Incrementer(parties, "increment-" + incrementers.size() + "-" +
                placement.name().toLowerCase(), longCounter, intCounter, casCounter, increments, start);
            incrementers.add(incrementer);
            parties.start(incrementer, placement);
        }
        if (!parties.joinAll("atomics", PHASE_TIMEOUT))
        {
            return false;
        }
        final int total = increments * incrementers.size();
        final int[] longHits = new int[total];
        final int[] intHits = new int[total];
        long casRetries = 0;
        long interleavings = 0;
        for (final Incrementer incrementer : incrementers)
        {
            count(longHits, incrementer.previousLongs);
            count(intHits, Arrays.stream(incrementer.previousInts).asLongStream().toArray());
            casRetries += incrementer.casRetries;
            interleavings += incrementer.interleavings();
        }
        System.out.println("ATOMICS " + total + " increments of each counter in " +
            (System.nanoTime() - startNs) / 1_000_000 + " ms over pids " + Parties.pidsOf(incrementers) +
            "; counters homed at " + GlobalAddress.toString(longCounter.address()) + ", " +
            GlobalAddress.toString(intCounter.address()) + ", " + GlobalAddress.toString(casCounter.address()) +
            "; get-and-adds of others between two of one thread " + interleavings + ", compare-and-set retries " +
            casRetries);
        final boolean longExact = longCounter.get(0) == total && everyOnce(longHits);
        final boolean intExact = intCounter.get(0) == total && everyOnce(intHits);
        final boolean casExact = casCounter.get(0) == total;
        Check.that("getandadd-long-exact", longExact, "ended at " + longCounter.get(0) + " of " + total + "; " +
            describeHits(longHits));
        Check.that("getandadd-int-exact", intExact, "ended at " + intCounter.get(0) + " of " + total + "; " +
            describeHits(intHits));
        Check.that("cas-increments-exact", casExact, "ended at " + casCounter.get(0) + " of " + total);
        Check.that("atomics-interleaved", interleavings > 0, "each thread's get-and-adds ran alone");
        Check.that("atomics-in-three-jvms", Parties.pidsOf(incrementers).size() == 3,
            "pids " + Parties.pidsOf(incrementers));
        return longExact && intExact && casExact;
    }

    private static boolean locked(final SharedMemory memory, final Parties parties, final long[] homes,
        final int increments) throws InterruptedException
    {
        final SharedLock lock = SharedLock.create(memory);
        final SharedLongArray cells = SharedLongArray.at(memory, homes[1] + memory.pageSizeBytes(), 3);
        final List<LockedIncrementer> incrementers = new ArrayList<>();
        final SpinBarrier start = SpinBarrier.create(memory, 4, PHASE_TIMEOUT);
        final long startNs = System.nanoTime();
        for (final Placement placement :
            new Placement[] {Placement.MOVED, Placement.MOVED, Placement.LOCAL, Placement.LOCAL})
        {
            final LockedIncrementer incrementer = new LockedIncrementer(parties, "locked-" + incrementers.size() + "-" +
                placement.name().toLowerCase(), lock, cells, increments, start);
            incrementers.add(incrementer);
            parties.start(incrementer, placement);
        }
        if (!parties.joinAll("lock", PHASE_TIMEOUT))
        {
            return false;
        }
        final long total = (long)increments * incrementers.size();
        long torn = 0;
        long notHeld = 0;
        long handoffs = 0;
        for (final LockedIncrementer incrementer : incrementers)
        {
            torn += incrementer.torn;
            notHeld += incrementer.notHeld;
            handoffs += incrementer.handoffsFromOtherJvms;
        }
        System.out.println("LOCK " + total + " increments in " + (System.nanoTime() - startNs) / 1_000_000 +
            " ms over pids " + Parties.pidsOf(incrementers) + ", " + lock + ", cells at " +
            GlobalAddress.toString(cells.address()) + "; the lock passed from one JVM to another " + handoffs +
            " times");
        final boolean exact = cells.get(0) == total && cells.get(1) == total;
        Check.that("lock-increments-exact", exact, "ended at " + cells.get(0) + " and " + cells.get(1) + " of " +
            total);
        Check.that("lock-mutual-exclusion", torn == 0 && notHeld == 0, torn + " holders found the two counts " +
            "different; " + notHeld + " times a holder was told it did not hold the lock");
        Check.that("lock-free-after", !lock.isLocked(), lock + " still locked");
        Check.that("lock-passed-between-jvms", handoffs > 0, "each thread held the lock alone");
        Check.that("lock-in-three-jvms", Parties.pidsOf(incrementers).size() == 3,
            "pids " + Parties.pidsOf(incrementers));
        return exact && torn == 0;
    }

    private static boolean spinning(final SharedMemory memory, final Parties parties, final long[] homes,
        final int rounds) throws InterruptedException
    {
        boolean ok = true;
        // The origin puts, a node spins; pings homed at the origin, pongs at a node.
        final SharedLongArray pings = SharedLongArray.at(memory, homes[0] + memory.pageSizeBytes(), rounds + 1);
        final SharedLongArray pongs = SharedLongArray.at(memory, homes[2] + memory.pageSizeBytes(), rounds + 1);
        final PingPong spinner = new PingPong(parties, "spinner-on-node", pings, pongs, false, rounds);
        parties.start(spinner, Placement.MOVED);
        long[] roundNs = null;
        try
        {
            roundNs = play("origin", pings, pongs, true, rounds);
        }
        catch (final IllegalStateException ex)
        {
            System.out.println("FAIL spin-origin-to-node-prompt: " + ex.getMessage());
            ok = false;
        }
        ok &= parties.joinAll("spin origin to node", PHASE_TIMEOUT);
        if (ok)
        {
            Check.that("spin-origin-to-node-prompt", spinner.pid != Check.pid(), "the spinner ran at the origin");
            report("origin->" + spinner, roundNs);
        }

        // Two nodes, each spinning in turn until the other puts; the flags homed at the origin.
        final SharedLongArray nodePings = SharedLongArray.at(memory, homes[0] + 2L * memory.pageSizeBytes(),
            rounds + 1);
        final SharedLongArray nodePongs = SharedLongArray.at(memory, homes[0] + 3L * memory.pageSizeBytes(),
            rounds + 1);
        final PingPong leader = new PingPong(parties, "putter-on-node", nodePings, nodePongs, true, rounds);
        final PingPong follower = new PingPong(parties, "spinner-on-node", nodePings, nodePongs, false, rounds);
        parties.start(leader, Placement.MOVED);
        parties.start(follower, Placement.MOVED);
        if (parties.joinAll("spin node to node", PHASE_TIMEOUT))
        {
            final boolean twoNodes = leader.pid != follower.pid && leader.pid != Check.pid() &&
                follower.pid != Check.pid();
            Check.that("spin-node-to-node-prompt", twoNodes, "ran in " + leader + " and " + follower);
            report(leader + "<->" + follower, leader.roundNs);
        }
        else
        {
            ok = false;
        }
        return ok;
    }

    private static void report(final String who, final long[] roundNs)
    {
        final long[] sorted = roundNs.clone();
        Arrays.sort(sorted);
        System.out.println("SPIN " + who + ": " + sorted.length + " round trips, median " +
            sorted[sorted.length / 2] / 1_000 + " us, p90 " + sorted[sorted.length * 9 / 10] / 1_000 + " us, max " +
            sorted[sorted.length - 1] / 1_000 + " us");
    }

    private static void count(final int[] hits, final long[] previous)
    {
        for (final long value : previous)
        {
            if (value >= 0 && value < hits.length)
            {
                hits[(int)value]++;
            }
        }
    }

    private static boolean everyOnce(final int[] hits)
    {
        return Arrays.stream(hits).allMatch(h -> h == 1);
    }

    private static String describeHits(final int[] hits)
    {
        final List<String> wrong = new ArrayList<>();
        for (int v = 0; v < hits.length && wrong.size() < 10; v++)
        {
            if (hits[v] != 1)
            {
                wrong.add(v + " returned " + hits[v] + " times");
            }
        }
        return wrong.isEmpty() ? "every previous value returned once" : "previous values " + wrong;
    }
}
