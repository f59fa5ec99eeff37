package dev.virgo.it.apps.litmus;

import dev.virgo.it.apps.Check;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;

/**
 * Java memory model litmus tests across three JVMs: threads at the origin and moved threads on two nodes (the agent
 * moves the {@code Moved*} classes), racing on shared fields with no per-round barrier, so every round is a real race.
 * The writers write increasing values {@code 1..n}; what the JMM forbids for each test is checked over every
 * observation, and each test proves its threads overlapped (the readers saw values the writers wrote while they ran).
 * Argument: the test name (mp-volatile, mp-synchronized, sb-volatile, iriw-volatile, corr-volatile) and n.
 */
public final class LitmusApp
{
    /** The shared locations. */
    static final class Cells
    {
        int data;
        volatile int flag;
        int lockedData;
        int lockedFlag;
        volatile int x;
        volatile int y;
        /** Readers that have started; a writer at the origin waits for them. */
        volatile int readersStarted;

        synchronized void readerStarted()
        {
            readersStarted++;
        }
    }

    /**
     * One thread of a test. What it saw is kept small, since a moved thread's objects travel with every exchange:
     * counters, and for the tests that pair threads, one array of n + 1 values.
     */
    abstract static class Role implements Runnable
    {
        final Cells cells;
        final int n;
        /** Observations that the JMM forbids, for the tests one thread can judge alone. */
        int violations;
        /** Observations in all, and how many times the value read changed to one written while the reader ran. */
        int observations;
        int midwayChanges;
        private int lastSeen = -1;
        long pid;

        Role(final Cells cells, final int n)
        {
            this.cells = cells;
            this.n = n;
        }

        /** Notes a value read; it counts as midway when it changed and is neither the first nor the last value. */
        void saw(final int value)
        {
            observations++;
            if (value != lastSeen && value > 0 && value < n)
            {
                midwayChanges++;
            }
            lastSeen = value;
        }

        @Override
        public void run()
        {
            pid = Check.pid();
            play();
        }

        abstract void play();
    }

    /** A writer at the origin is far faster than moved readers: it waits for them and writes at about their pace. */
    static void awaitReaders(final Cells cells, final int readers)
    {
        final long giveUpAt = System.nanoTime() + 30_000_000_000L;
        while (cells.readersStarted < readers && System.nanoTime() - giveUpAt < 0)
        {
            Thread.yield();
        }
    }

    static void pace()
    {
        final long until = System.nanoTime() + 50_000;
        while (System.nanoTime() - until < 0)
        {
            Thread.onSpinWait();
        }
    }

    // ---- message passing through a volatile: data = r; flag = r  ||  f = flag; d = data. Forbidden: d < f.

    static class FlagWriter extends Role
    {
        FlagWriter(final Cells cells, final int n)
        {
            super(cells, n);
        }

        @Override
        void play()
        {
            for (int r = 1; r <= n; r++)
            {
                cells.data = r;
                cells.flag = r;
            }
        }
    }

    static class FlagReader extends Role
    {
        FlagReader(final Cells cells, final int n)
        {
            super(cells, n);
        }

        @Override
        void play()
        {
            cells.readerStarted();
            int f;
            do
            {
                f = cells.flag;
                final int d = cells.data;
                saw(f);
                if (d < f)
                {
                    violations++;
                }
            }
            while (f < n);
        }
    }

    // ---- message passing under a monitor: both written in one critical section, read in one. Forbidden: d != f.

    static class LockedWriter extends Role
    {
        LockedWriter(final Cells cells, final int n)
        {
            super(cells, n);
        }

        @Override
        void play()
        {
            for (int r = 1; r <= n; r++)
            {
                synchronized (cells)
                {
                    cells.lockedData = r;
                    cells.lockedFlag = r;
                }
            }
        }
    }

    static class LockedReader extends Role
    {
        LockedReader(final Cells cells, final int n)
        {
            super(cells, n);
        }

        @Override
        void play()
        {
            cells.readerStarted();
            int f;
            do
            {
                final int d;
                synchronized (cells)
                {
                    f = cells.lockedFlag;
                    d = cells.lockedData;
                }
                saw(f);
                if (d != f)
                {
                    violations++;
                }
                Thread.yield(); // a poller that lets the writer in, as real pollers do
            }
            while (f < n);
        }
    }

    // ---- store buffering (Dekker): x = r; a = y  ||  y = r; b = x. Forbidden in one round: a < r and b < r.

    static class StoreXLoadY extends Role
    {
        /** Rounds r in which this thread read the other's location older than r. */
        final BitSet missed = new BitSet();

        StoreXLoadY(final Cells cells, final int n)
        {
            super(cells, n);
        }

        @Override
        void play()
        {
            cells.readerStarted();
            awaitReaders(cells, 2); // both start their rounds together
            for (int r = 1; r <= n; r++)
            {
                cells.x = r;
                final int y = cells.y;
                saw(y);
                if (y < r)
                {
                    missed.set(r);
                }
            }
        }
    }

    static class StoreYLoadX extends Role
    {
        final BitSet missed = new BitSet();

        StoreYLoadX(final Cells cells, final int n)
        {
            super(cells, n);
        }

        @Override
        void play()
        {
            cells.readerStarted();
            awaitReaders(cells, 2);
            for (int r = 1; r <= n; r++)
            {
                cells.y = r;
                final int x = cells.x;
                saw(x);
                if (x < r)
                {
                    missed.set(r);
                }
            }
        }
    }

    // ---- IRIW: writers of x and of y; one reader reads x then y, the other y then x. Forbidden: they disagree on
    // the order of the writes, i.e. an observation (a = x, b = y) and one (c = y, d = x) with a > d and c > b.

    static class XWriter extends Role
    {
        XWriter(final Cells cells, final int n)
        {
            super(cells, n);
        }

        @Override
        void play()
        {
            awaitReaders(cells, 2);
            for (int r = 1; r <= n; r++)
            {
                cells.x = r;
                pace();
            }
        }
    }

    static class YWriter extends Role
    {
        YWriter(final Cells cells, final int n)
        {
            super(cells, n);
        }

        @Override
        void play()
        {
            awaitReaders(cells, 2);
            for (int r = 1; r <= n; r++)
            {
                cells.y = r;
                pace();
            }
        }
    }

    static class XThenY extends Role
    {
        /** For each value b of y it read, the newest x it read just before: maxXBefore[b]. */
        final int[] maxXBefore;
        int otherMidway;
        private int lastY = -1;

        XThenY(final Cells cells, final int n)
        {
            super(cells, n);
            maxXBefore = new int[n + 1];
            java.util.Arrays.fill(maxXBefore, -1);
        }

        @Override
        void play()
        {
            cells.readerStarted();
            int a;
            int b;
            do
            {
                a = cells.x;
                b = cells.y;
                saw(a);
                maxXBefore[b] = Math.max(maxXBefore[b], a);
                otherMidway += b > 0 && b < n && b != lastY ? 1 : 0;
                lastY = b;
            }
            while (a < n || b < n);
        }
    }

    static class YThenX extends Role
    {
        /** For each value c of y it read, the oldest x it read just after: minXAfter[c]. */
        final int[] minXAfter;

        YThenX(final Cells cells, final int n)
        {
            super(cells, n);
            minXAfter = new int[n + 1];
            java.util.Arrays.fill(minXAfter, Integer.MAX_VALUE);
        }

        @Override
        void play()
        {
            cells.readerStarted();
            int c;
            int d;
            do
            {
                c = cells.y;
                d = cells.x;
                saw(c);
                minXAfter[c] = Math.min(minXAfter[c], d);
            }
            while (c < n || d < n);
        }
    }

    // ---- coherence of one location: two reads of x in a row. Forbidden: the second older than the first.

    static class TwiceX extends Role
    {
        TwiceX(final Cells cells, final int n)
        {
            super(cells, n);
        }

        @Override
        void play()
        {
            cells.readerStarted();
            int a;
            int b;
            do
            {
                a = cells.x;
                b = cells.x;
                saw(a);
                if (b < a)
                {
                    violations++;
                }
            }
            while (b < n);
        }
    }

    // The agent moves the Moved* classes; the others run at the origin.
    static final class MovedFlagWriter extends FlagWriter
    {
        MovedFlagWriter(final Cells c, final int n)
        {
            super(c, n);
        }
    }

    static final class MovedFlagReader extends FlagReader
    {
        MovedFlagReader(final Cells c, final int n)
        {
            super(c, n);
        }
    }

    static final class MovedLockedWriter extends LockedWriter
    {
        MovedLockedWriter(final Cells c, final int n)
        {
            super(c, n);
        }
    }

    static final class MovedLockedReader extends LockedReader
    {
        MovedLockedReader(final Cells c, final int n)
        {
            super(c, n);
        }
    }

    static final class MovedStoreXLoadY extends StoreXLoadY
    {
        MovedStoreXLoadY(final Cells c, final int n)
        {
            super(c, n);
        }
    }

    static final class MovedStoreYLoadX extends StoreYLoadX
    {
        MovedStoreYLoadX(final Cells c, final int n)
        {
            super(c, n);
        }
    }

    static final class MovedYWriter extends YWriter
    {
        MovedYWriter(final Cells c, final int n)
        {
            super(c, n);
        }
    }

    static final class MovedXThenY extends XThenY
    {
        MovedXThenY(final Cells c, final int n)
        {
            super(c, n);
        }
    }

    static final class MovedYThenX extends YThenX
    {
        MovedYThenX(final Cells c, final int n)
        {
            super(c, n);
        }
    }

    static final class MovedXWriter extends XWriter
    {
        MovedXWriter(final Cells c, final int n)
        {
            super(c, n);
        }
    }

    static final class MovedTwiceX extends TwiceX
    {
        MovedTwiceX(final Cells c, final int n)
        {
            super(c, n);
        }
    }

    private LitmusApp()
    {
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final String test = args[0];
        final int n = Integer.parseInt(args[1]);
        final Cells cells = new Cells();
        final Role[] roles;
        switch (test)
        {
            case "mp-volatile":
                roles = new Role[] {new MovedFlagWriter(cells, n), new MovedFlagReader(cells, n),
                    new FlagReader(cells, n)};
                break;
            case "mp-synchronized":
                roles = new Role[] {new MovedLockedWriter(cells, n), new MovedLockedReader(cells, n),
                    new LockedReader(cells, n)};
                break;
            case "sb-volatile":
                roles = new Role[] {new MovedStoreXLoadY(cells, n), new MovedStoreYLoadX(cells, n)};
                break;
            case "iriw-volatile":
                roles = new Role[] {new XWriter(cells, n), new MovedYWriter(cells, n), new MovedXThenY(cells, n),
                    new MovedYThenX(cells, n)};
                break;
            case "corr-volatile":
                roles = new Role[] {new MovedXWriter(cells, n), new MovedTwiceX(cells, n), new TwiceX(cells, n)};
                break;
            default:
                throw new IllegalArgumentException(test);
        }
        final Thread[] threads = new Thread[roles.length];
        for (int i = 0; i < roles.length; i++)
        {
            threads[i] = new Thread(roles[i], test + "-" + roles[i].getClass().getSimpleName());
        }
        for (final Thread thread : threads)
        {
            thread.start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }

        final Set<Long> pids = new HashSet<>();
        for (final Role role : roles)
        {
            pids.add(role.pid);
            System.out.println("ROLE " + role.getClass().getSimpleName() + " pid " + role.pid + " observations " +
                role.observations + " midway " + role.midwayChanges);
        }
        pids.add(Check.pid());
        Check.that("three-jvms", pids.size() >= 3, "pids " + pids);
        switch (test)
        {
            case "mp-volatile":
            case "mp-synchronized":
            case "corr-volatile":
                for (int i = 1; i < roles.length; i++)
                {
                    final Role reader = roles[i];
                    final String who = test + "-" + reader.getClass().getSimpleName();
                    Check.that(who + "-no-forbidden-outcome", reader.violations == 0,
                        reader.violations + " of " + reader.observations);
                    Check.that(who + "-raced", reader.midwayChanges >= 2, "saw only " + reader.midwayChanges +
                        " values written while it ran, of " + reader.observations + " observations");
                }
                break;
            case "sb-volatile":
                checkStoreBuffering((StoreXLoadY)roles[0], (StoreYLoadX)roles[1], n);
                break;
            case "iriw-volatile":
                checkIriw((XThenY)roles[2], (YThenX)roles[3], n);
                break;
            default:
                throw new AssertionError(test);
        }
        System.out.println("DONE");
    }

    /** Round r: forbidden that both read the other's location older than r. Raced: both orders happened. */
    private static void checkStoreBuffering(final StoreXLoadY left, final StoreYLoadX right, final int n)
    {
        final BitSet both = (BitSet)left.missed.clone();
        both.and(right.missed);
        final int leftMissed = left.missed.cardinality();
        final int rightMissed = right.missed.cardinality();
        Check.that("sb-volatile-no-forbidden-outcome", both.isEmpty(),
            both.cardinality() + " of " + n + " rounds, first " + both.nextSetBit(0));
        // Run one after the other, one thread would miss every round and the other none, and neither would see the
        // other's location change while it ran. So they raced when a thread missed some rounds and not others (the
        // lead changed hands), or when each saw the other's location take values between its first and last while
        // it ran. The second is what a steady lead shows: with volatile writes that do not wait for the origin, the
        // two threads' rounds can lock into one order at the origin for a whole run.
        final boolean leadChanged = leftMissed > 0 && leftMissed < n || rightMissed > 0 && rightMissed < n;
        final boolean sawEachOther = left.midwayChanges >= 2 && right.midwayChanges >= 2;
        Check.that("sb-volatile-raced", leadChanged || sawEachOther,
            "rounds where a thread read the other's location older than its own round: x's writer " + leftMissed +
            ", y's writer " + rightMissed + ", of " + n + "; values of the other's location seen mid-run: " +
            left.midwayChanges + " and " + right.midwayChanges);
    }

    /**
     * Forbidden: the two readers disagree on the order of the writes to x and y, i.e. the x-then-y reader read (a, b)
     * and the y-then-x reader read (c, d) with a > d and c > b. For each b, maxXBefore[b] is the largest such a; for
     * each c, minXAfter[c] the smallest such d; a violation is a b < c with maxXBefore[b] > minXAfter[c].
     */
    private static void checkIriw(final XThenY xThenY, final YThenX yThenX, final int n)
    {
        final int[] smallestXAfterAbove = new int[n + 2]; // min of minXAfter[c] over c > index
        smallestXAfterAbove[n + 1] = Integer.MAX_VALUE;
        smallestXAfterAbove[n] = Integer.MAX_VALUE;
        for (int c = n; c >= 1; c--)
        {
            smallestXAfterAbove[c - 1] = Math.min(smallestXAfterAbove[c], yThenX.minXAfter[c]);
        }
        int violations = 0;
        for (int b = 0; b <= n; b++)
        {
            if (xThenY.maxXBefore[b] >= 0 && xThenY.maxXBefore[b] > smallestXAfterAbove[b])
            {
                violations++;
            }
        }
        Check.that("iriw-volatile-no-forbidden-outcome", violations == 0, violations + " values of y");
        Check.that("iriw-volatile-raced", xThenY.midwayChanges >= 2 && xThenY.otherMidway >= 2 &&
            yThenX.midwayChanges >= 2, "x-then-y reader saw " + xThenY.midwayChanges + " x and " +
            xThenY.otherMidway + " y values written while it ran; y-then-x saw " + yThenX.midwayChanges + " y");
    }
}
