package dev.virgo.runtime.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ListIterator;
import java.util.RandomAccess;

/**
 * The three-way merge of one list: the baseline (its state at start()), the moved thread's final copy and the
 * live list at the origin. Both changes since the baseline are found as hunks by {@link SequenceDiff}; the
 * merged content is built by walking the live list and applying the thread's hunks where their baseline elements
 * now are, then written into the live list with the fewest operations (positional sets when its size stays, one
 * range removal and one range insertion otherwise), so its identity, class and order are kept.
 * <p>
 * A hunk of the thread that keeps its length is a set of positions: each position is set where its baseline
 * element now is. A hunk that changes the length removes its baseline elements and inserts the thread's new ones
 * before the baseline element that followed them; a hunk at the end is an append, placed after what others
 * appended. Where the thread set or removed a position that someone else set or removed since start(), the
 * thread's write wins and the position is reported as a conflict. When either diff gives up, the thread's whole
 * content is written (with a warning if others had changed the list too).
 */
final class ListMerge
{
    private static final int KEEP = -1;
    private static final int DELETE = -2;

    private final ContainerMerger merger;
    private final List<Object> live;
    private final Object[] current;
    private final Object[] fin;
    private final Object[] baselineTokens;
    private final Object[] finalTokens;
    private final Object[] liveTokens;

    /** Per baseline index: KEEP, DELETE, or the index in the thread's copy of the value that replaced it. */
    private int[] action;
    /** Per baseline index (and one past the end, for appends): the range of the thread's copy inserted before it. */
    private int[] insertFrom;
    private int[] insertTo;
    /** Per live index: the baseline index whose place it holds (kept or set by someone else), or -1. */
    private int[] owner;
    private final ArrayList<Object> merged;

    ListMerge(
        final ContainerMerger merger,
        final ElementTokens tokens,
        final List<Object> live,
        final List<?> baseline,
        final List<?> fin)
    {
        this.merger = merger;
        this.live = live;
        this.current = live.toArray();
        this.fin = fin.toArray();
        final Object[] base = baseline.toArray();
        this.baselineTokens = new Object[base.length];
        for (int j = 0; j < base.length; j++)
        {
            baselineTokens[j] = tokens.baseline(base[j]);
        }
        this.finalTokens = new Object[this.fin.length];
        for (int j = 0; j < this.fin.length; j++)
        {
            finalTokens[j] = tokens.fin(this.fin[j]);
        }
        this.liveTokens = new Object[current.length];
        for (int j = 0; j < current.length; j++)
        {
            liveTokens[j] = tokens.live(current[j]);
        }
        this.merged = new ArrayList<>(current.length + this.fin.length);
    }

    void apply()
    {
        final List<int[]> mine = SequenceDiff.changes(baselineTokens, finalTokens, ContainerMerger.MAX_LIST_EDITS);
        final List<int[]> theirs = SequenceDiff.changes(baselineTokens, liveTokens, ContainerMerger.MAX_LIST_EDITS);
        if (mine == null || theirs == null)
        {
            if (theirs == null || !theirs.isEmpty())
            {
                merger.writtenWhole(live);
            }
            for (final Object value : fin)
            {
                merged.add(merger.translate(value));
            }
            write();
            return;
        }
        planMine(mine);
        planTheirs(theirs);

        int next = 0; // the first baseline index not yet placed
        for (int i = 0; i < current.length; i++)
        {
            final int j = owner[i];
            if (j < 0)
            {
                merged.add(current[i]); // someone else inserted it
                continue;
            }
            while (next < j)
            {
                placeGone(next++);
            }
            insertBefore(j);
            placeHeld(j, i);
            next = j + 1;
        }
        while (next < baselineTokens.length)
        {
            placeGone(next++);
        }
        insertBefore(baselineTokens.length);
        write();
    }

    private void planMine(final List<int[]> hunks)
    {
        final int n = baselineTokens.length;
        action = new int[n];
        Arrays.fill(action, KEEP);
        insertFrom = new int[n + 1];
        insertTo = new int[n + 1];
        Arrays.fill(insertFrom, -1);
        for (final int[] h : hunks)
        {
            if (h[1] - h[0] == h[3] - h[2])
            {
                for (int k = 0; k < h[1] - h[0]; k++)
                {
                    if (!baselineTokens[h[0] + k].equals(finalTokens[h[2] + k]))
                    {
                        action[h[0] + k] = h[2] + k;
                    }
                }
            }
            else
            {
                Arrays.fill(action, h[0], h[1], DELETE);
                insertFrom[h[1]] = h[2];
                insertTo[h[1]] = h[3];
            }
        }
    }

    /** Which live positions hold a baseline element's place: kept, or replaced one for one by someone else. */
    private void planTheirs(final List<int[]> hunks)
    {
        owner = new int[current.length];
        Arrays.fill(owner, -1);
        int j = 0;
        int i = 0;
        for (final int[] h : hunks)
        {
            while (j < h[0])
            {
                owner[i++] = j++;
            }
            if (h[1] - h[0] == h[3] - h[2])
            {
                for (int k = 0; k < h[1] - h[0]; k++)
                {
                    owner[h[2] + k] = h[0] + k;
                }
            }
            j = h[1];
            i = h[3];
        }
        while (j < baselineTokens.length)
        {
            owner[i++] = j++;
        }
    }

    /** Baseline element {@code j}, which still has a place in the live list, at live index {@code i}. */
    private void placeHeld(final int j, final int i)
    {
        final boolean theyChanged = !liveTokens[i].equals(baselineTokens[j]);
        final int a = action[j];
        if (a == KEEP)
        {
            merged.add(current[i]);
        }
        else if (a == DELETE)
        {
            if (theyChanged)
            {
                merger.conflict(live, "index " + j);
            }
        }
        else if (liveTokens[i].equals(finalTokens[a]))
        {
            merged.add(current[i]); // someone else wrote the same
        }
        else
        {
            if (theyChanged)
            {
                merger.conflict(live, "index " + j);
            }
            merged.add(merger.translate(fin[a]));
        }
    }

    /** Baseline element {@code j}, which someone else removed (or replaced by a different number of elements). */
    private void placeGone(final int j)
    {
        insertBefore(j);
        final int a = action[j];
        if (a == DELETE)
        {
            merger.conflict(live, "index " + j + " (removed by another thread too)");
        }
        else if (a != KEEP)
        {
            merger.conflict(live, "index " + j);
            merged.add(merger.translate(fin[a]));
        }
    }

    private void insertBefore(final int j)
    {
        final int from = insertFrom[j];
        if (from >= 0)
        {
            for (int a = from; a < insertTo[j]; a++)
            {
                merged.add(merger.translate(fin[a]));
            }
            insertFrom[j] = -1;
        }
    }

    /** Makes the live list hold {@code merged}, touching only the range where they differ. */
    private void write()
    {
        final int n = current.length;
        final int m = merged.size();
        int prefix = 0;
        while (prefix < n && prefix < m && current[prefix] == merged.get(prefix))
        {
            prefix++;
        }
        int suffix = 0;
        while (suffix < n - prefix && suffix < m - prefix && current[n - 1 - suffix] == merged.get(m - 1 - suffix))
        {
            suffix++;
        }
        if (n == m)
        {
            if (live instanceof RandomAccess)
            {
                for (int k = prefix; k < n - suffix; k++)
                {
                    if (current[k] != merged.get(k))
                    {
                        live.set(k, merged.get(k));
                    }
                }
            }
            else
            {
                final ListIterator<Object> it = live.listIterator(prefix);
                for (int k = prefix; k < n - suffix; k++)
                {
                    it.next();
                    if (current[k] != merged.get(k))
                    {
                        it.set(merged.get(k));
                    }
                }
            }
            return;
        }
        if (prefix < n - suffix)
        {
            live.subList(prefix, n - suffix).clear();
        }
        if (prefix < m - suffix)
        {
            live.addAll(prefix, merged.subList(prefix, m - suffix));
        }
    }
}
