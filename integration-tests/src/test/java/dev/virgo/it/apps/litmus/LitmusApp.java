package dev.virgo.it.apps.litmus;

import dev.virgo.it.apps.Check;

import java.util.Arrays;
import java.util.Comparator;
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
    }

    /** What one thread saw: pairs of values, one pair per observation. */
    abstract static class Role implements Runnable
    {
        final Cells cells;
        final int n;
        int[] first = new int[0];
        int[] second = new int[0];
        int count;
        long pid;

        Role(final Cells cells, final int n)
        {
            this.cells = cells;
            this.n = n;
        }

        void observe(final int a, final int b)
        {
            if (count == first.length)
            {
                first = Arrays.copyOf(first, Math.max(64, count * 2));
                second = Arrays.copyOf(second, Math.max(64, count * 2));
            }
            first[count] = a;
            second[count] = b;
            count++;
        }

        @Override
        public void run()
        {
            pid = Check.pid();
            play();
        }

        abstract void play();
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
            int f;
            do
            {
                f = cells.flag;
                observe(f, cells.data);
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
            int f;
            do
            {
                final int d;
                synchronized (cells)
                {
                    f = cells.lockedFlag;
                    d = cells.lockedData;
                }
                observe(f, d);
            }
            while (f < n);
        }
    }

    // ---- store buffering (Dekker): x = r; a = y  ||  y = r; b = x. Forbidden in one round: a < r and b < r.

    static class StoreXLoadY extends Role
    {
        StoreXLoadY(final Cells cells, final int n)
        {
            super(cells, n);
        }

        @Override
        void play()
        {
            for (int r = 1; r <= n; r++)
            {
                cells.x = r;
                observe(r, cells.y);
            }
        }
    }

    static class StoreYLoadX extends Role
    {
        StoreYLoadX(final Cells cells, final int n)
        {
            super(cells, n);
        }

        @Override
        void play()
        {
            for (int r = 1; r <= n; r++)
            {
                cells.y = r;
                observe(r, cells.x);
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
            for (int r = 1; r <= n; r++)
            {
                cells.x = r;
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
            for (int r = 1; r <= n; r++)
            {
                cells.y = r;
            }
        }
    }

    static class XThenY extends Role
    {
        XThenY(final Cells cells, final int n)
        {
            super(cells, n);
        }

        @Override
        void play()
        {
            int a;
            int b;
            do
            {
                a = cells.x;
                b = cells.y;
                observe(a, b);
            }
            while (a < n || b < n);
        }
    }

    static class YThenX extends Role
    {
        YThenX(final Cells cells, final int n)
        {
            super(cells, n);
        }

        @Override
        void play()
        {
            int c;
            int d;
            do
            {
                c = cells.y;
                d = cells.x;
                observe(c, d);
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
            int a;
            int b;
            do
            {
                a = cells.x;
                b = cells.x;
                observe(a, b);
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
                roles = new Role[] {new XWriter(cells, n), new MovedTwiceX(cells, n), new TwiceX(cells, n)};
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
                role.count + (role.getClass().getSimpleName().startsWith("Moved") ? " moved" : " local"));
        }
        pids.add(Check.pid());
        Check.that("three-jvms", pids.size() >= 3, "pids " + pids);
        switch (test)
        {
            case "mp-volatile":
                check(test, roles, 1, 2, (f, d) -> d < f, n);
                break;
            case "mp-synchronized":
                check(test, roles, 1, 2, (f, d) -> d != f, n);
                break;
            case "sb-volatile":
                checkStoreBuffering(roles[0], roles[1], n);
                break;
            case "iriw-volatile":
                checkIriw(roles[2], roles[3], n);
                break;
            case "corr-volatile":
                check(test, roles, 1, 2, (a, b) -> b < a, n);
                break;
            default:
                throw new AssertionError(test);
        }
        System.out.println("DONE");
    }

    interface Forbidden
    {
        boolean test(int a, int b);
    }

    /** Readers {@code from..to}: no forbidden pair, and each saw values written while it ran. */
    private static void check(final String test, final Role[] roles, final int from, final int to,
        final Forbidden forbidden, final int n)
    {
        for (int i = from; i <= to; i++)
        {
            final Role reader = roles[i];
            int violations = 0;
            final Set<Integer> midway = new HashSet<>();
            for (int k = 0; k < reader.count; k++)
            {
                if (forbidden.test(reader.first[k], reader.second[k]))
                {
                    violations++;
                }
                if (reader.first[k] > 0 && reader.first[k] < n)
                {
                    midway.add(reader.first[k]);
                }
            }
            final String who = test + "-" + reader.getClass().getSimpleName();
            Check.that(who + "-no-forbidden-outcome", violations == 0, violations + " of " + reader.count);
            Check.that(who + "-raced", midway.size() >= 2, "saw only " + midway.size() +
                " values written while it ran, of " + reader.count + " observations");
        }
    }

    /** Round r of each side: forbidden that both read a value older than r. Raced: both orders happened. */
    private static void checkStoreBuffering(final Role left, final Role right, final int n)
    {
        int violations = 0;
        int leftSawRightsRound = 0;
        int leftMissedIt = 0;
        for (int r = 1; r <= n; r++)
        {
            final int a = left.second[r - 1];
            final int b = right.second[r - 1];
            if (a < r && b < r)
            {
                violations++;
            }
            if (a >= r)
            {
                leftSawRightsRound++;
            }
            else
            {
                leftMissedIt++;
            }
        }
        Check.that("sb-volatile-no-forbidden-outcome", violations == 0, violations + " of " + n + " rounds");
        Check.that("sb-volatile-raced", leftSawRightsRound > 0 && leftMissedIt > 0,
            "rounds where x's writer saw y's write of that round: " + leftSawRightsRound + ", did not: " + leftMissedIt);
    }

    /** Forbidden: observations (a = x, b = y) and (c = y, d = x) with a > d and c > b. */
    private static void checkIriw(final Role xThenY, final Role yThenX, final int n)
    {
        final Integer[] order = new Integer[yThenX.count];
        for (int k = 0; k < order.length; k++)
        {
            order[k] = k;
        }
        Arrays.sort(order, Comparator.comparingInt((Integer k) -> yThenX.first[k]).reversed());
        // minD[j]: the smallest x the y-then-x reader saw among its observations with the j+1 largest y.
        final int[] sortedC = new int[order.length];
        final int[] minD = new int[order.length];
        int min = Integer.MAX_VALUE;
        for (int j = 0; j < order.length; j++)
        {
            sortedC[j] = yThenX.first[order[j]];
            min = Math.min(min, yThenX.second[order[j]]);
            minD[j] = min;
        }
        int violations = 0;
        final Set<Integer> midwayX = new HashSet<>();
        final Set<Integer> midwayY = new HashSet<>();
        for (int k = 0; k < xThenY.count; k++)
        {
            final int a = xThenY.first[k];
            final int b = xThenY.second[k];
            if (a > 0 && a < n)
            {
                midwayX.add(a);
            }
            if (b > 0 && b < n)
            {
                midwayY.add(b);
            }
            // observations of the other reader with c > b: a prefix of sortedC (descending)
            int lo = 0;
            int hi = sortedC.length;
            while (lo < hi)
            {
                final int mid = (lo + hi) >>> 1;
                if (sortedC[mid] > b)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }
            if (lo > 0 && minD[lo - 1] < a)
            {
                violations++;
            }
        }
        Check.that("iriw-volatile-no-forbidden-outcome", violations == 0, violations + " of " + xThenY.count);
        Check.that("iriw-volatile-raced", midwayX.size() >= 2 && midwayY.size() >= 2,
            "x-then-y reader saw " + midwayX.size() + " x and " + midwayY.size() + " y values written while it ran");
    }
}
