package dev.virgo.runtime.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How one sequence became another, as hunks: {@code a[aStart, aEnd)} became {@code b[bStart, bEnd)}, everything
 * between hunks is unchanged. Elements compare with {@code equals}; the container merge compares tokens (see
 * {@link ContainerMerger}).
 * <p>
 * Two sequences of one length are read position by position (each changed position a set) unless a strictly
 * shorter explanation exists: removing the head and appending one element is then one removal and one append,
 * not a set of every position, while disjoint sets in a list of equal values stay sets, which a plain diff would
 * misalign. Otherwise the hunks are the smallest set of insertions and deletions (Myers' O(ND) difference
 * algorithm), after trimming the common prefix and suffix, so the usual changes of a thread (appends, a few sets,
 * a removal at the head) cost one pass. The search gives up past a number of edits, since its memory grows with
 * the square of that number.
 */
final class SequenceDiff
{
    private SequenceDiff()
    {
    }

    /**
     * @return hunks as {@code {aStart, aEnd, bStart, bEnd}} in increasing order (see the class comment), or null
     * when sequences of different lengths differ by more than {@code maxEdits} insertions and deletions.
     */
    static List<int[]> changes(final Object[] a, final Object[] b, final int maxEdits)
    {
        if (a.length != b.length)
        {
            return hunks(a, b, maxEdits);
        }
        final List<int[]> positional = new ArrayList<>();
        int changed = 0;
        for (int j = 0; j < a.length; j++)
        {
            if (!a[j].equals(b[j]))
            {
                int end = j + 1;
                while (end < a.length && !a[end].equals(b[end]))
                {
                    end++;
                }
                positional.add(new int[]{j, end, j, end});
                changed += end - j;
                j = end;
            }
        }
        if (changed == 0)
        {
            return positional;
        }
        // A set costs one deletion and one insertion: look only for something strictly shorter.
        final List<int[]> shorter = hunks(a, b, Math.min(maxEdits, 2 * changed - 1));
        return shorter != null ? shorter : positional;
    }

    /** The smallest insertions and deletions, or null past {@code maxEdits}. */
    static List<int[]> hunks(final Object[] a, final Object[] b, final int maxEdits)
    {
        final int n = a.length;
        final int m = b.length;
        int prefix = 0;
        while (prefix < n && prefix < m && a[prefix].equals(b[prefix]))
        {
            prefix++;
        }
        int suffix = 0;
        while (suffix < n - prefix && suffix < m - prefix && a[n - 1 - suffix].equals(b[m - 1 - suffix]))
        {
            suffix++;
        }
        final List<int[]> hunks = new ArrayList<>();
        final int an = n - prefix - suffix;
        final int bn = m - prefix - suffix;
        if (an == 0 && bn == 0)
        {
            return hunks;
        }
        if (an == 0 || bn == 0)
        {
            hunks.add(new int[]{prefix, n - suffix, prefix, m - suffix});
            return hunks;
        }
        final int[] matchOfA = middleMatches(a, b, prefix, an, bn, maxEdits);
        if (matchOfA == null)
        {
            return null;
        }
        // Walk the matched pairs; each gap between two consecutive matches is one hunk.
        int ai = 0;
        int bi = 0;
        for (int x = 0; x <= an; x++)
        {
            final int y = x == an ? bn : matchOfA[x];
            if (y < 0)
            {
                continue;
            }
            if (x > ai || y > bi)
            {
                hunks.add(new int[]{prefix + ai, prefix + x, prefix + bi, prefix + y});
            }
            ai = x + 1;
            bi = y + 1;
        }
        return hunks;
    }

    /**
     * Myers' greedy forward search over {@code a[off, off + an)} and {@code b[off, off + bn)}, keeping each round's
     * furthest-reaching x per diagonal so the path can be walked back.
     *
     * @return for each index of a's middle, the index of b's middle it matches, or -1; null past maxEdits.
     */
    private static int[] middleMatches(
        final Object[] a, final Object[] b, final int off, final int an, final int bn, final int maxEdits)
    {
        final int limit = Math.min(maxEdits, an + bn);
        final int center = limit + 1;
        final int[] v = new int[2 * limit + 3];
        final List<int[]> trace = new ArrayList<>();
        int found = -1;
        for (int d = 0; d <= limit && found < 0; d++)
        {
            for (int k = -d; k <= d; k += 2)
            {
                int x = (k == -d || (k != d && v[center + k - 1] < v[center + k + 1])) ?
                    v[center + k + 1] : v[center + k - 1] + 1;
                int y = x - k;
                while (x < an && y < bn && a[off + x].equals(b[off + y]))
                {
                    x++;
                    y++;
                }
                v[center + k] = x;
                if (x >= an && y >= bn)
                {
                    found = d;
                    break;
                }
            }
            final int[] round = new int[2 * d + 1];
            System.arraycopy(v, center - d, round, 0, 2 * d + 1);
            trace.add(round);
        }
        if (found < 0)
        {
            return null;
        }

        final int[] matchOfA = new int[an];
        Arrays.fill(matchOfA, -1);
        int x = an;
        int y = bn;
        for (int d = found; d > 0; d--)
        {
            final int[] previous = trace.get(d - 1);
            final int k = x - y;
            final boolean down = k == -d || (k != d && at(previous, d - 1, k - 1) < at(previous, d - 1, k + 1));
            final int previousK = down ? k + 1 : k - 1;
            final int previousX = at(previous, d - 1, previousK);
            final int previousY = previousX - previousK;
            final int snakeStartX = down ? previousX : previousX + 1; // after the one insertion or deletion
            while (x > snakeStartX)
            {
                matchOfA[--x] = --y;
            }
            x = previousX;
            y = previousY;
        }
        while (x > 0 && y > 0)
        {
            matchOfA[--x] = --y;
        }
        return matchOfA;
    }

    private static int at(final int[] round, final int d, final int k)
    {
        return round[k + d];
    }
}
