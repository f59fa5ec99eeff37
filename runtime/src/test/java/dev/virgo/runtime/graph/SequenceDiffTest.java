package dev.virgo.runtime.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SequenceDiffTest
{
    @Test
    void shouldRebuildTheSecondSequenceWithTheSmallestNumberOfEditsForRandomSequences()
    {
        final Random random = new Random(42);
        for (int round = 0; round < 2000; round++)
        {
            final Object[] a = randomSequence(random);
            final Object[] b = randomSequence(random);

            final List<int[]> hunks = SequenceDiff.hunks(a, b, 1000);

            assertArrayEquals(b, apply(a, b, hunks), "round " + round);
            int edits = 0;
            for (final int[] h : hunks)
            {
                edits += (h[1] - h[0]) + (h[3] - h[2]);
            }
            assertEquals(a.length + b.length - 2 * lcs(a, b), edits, "round " + round + ": not minimal");
        }
    }

    @Test
    void shouldReadSequencesOfOneLengthPositionByPositionUnlessSomethingShorterExplainsThem()
    {
        final Object[] zeros = {0, 0, 0, 0, 0, 0};
        final Object[] sets = {10, 11, 0, 0, 14, 0};
        final List<int[]> positional = SequenceDiff.changes(zeros, sets, 100);
        assertEquals(2, positional.size());
        assertArrayEquals(new int[]{0, 2, 0, 2}, positional.get(0));
        assertArrayEquals(new int[]{4, 5, 4, 5}, positional.get(1));

        final Object[] queue = {"a", "b", "c"};
        final Object[] pollAndOffer = {"b", "c", "d"};
        final List<int[]> shifted = SequenceDiff.changes(queue, pollAndOffer, 100);
        assertEquals(2, shifted.size(), "one removal at the head and one append, not three sets");
        assertArrayEquals(new int[]{0, 1, 0, 0}, shifted.get(0));
        assertArrayEquals(new int[]{3, 3, 2, 3}, shifted.get(1));
    }

    @Test
    void shouldGiveUpPastTheEditLimitOnlyForSequencesOfDifferentLengths()
    {
        final Object[] a = new Object[200];
        final Object[] b = new Object[201];
        for (int i = 0; i < a.length; i++)
        {
            a[i] = i;
            b[i] = -i - 1;
        }
        b[200] = 7;
        assertNull(SequenceDiff.changes(a, b, 50));
        assertEquals(1, SequenceDiff.changes(a, java.util.Arrays.copyOf(b, 200), 50).size(), "one run of sets");
    }

    private static Object[] randomSequence(final Random random)
    {
        final Object[] sequence = new Object[random.nextInt(12)];
        for (int i = 0; i < sequence.length; i++)
        {
            sequence[i] = random.nextInt(4);
        }
        return sequence;
    }

    private static Object[] apply(final Object[] a, final Object[] b, final List<int[]> hunks)
    {
        final ArrayList<Object> out = new ArrayList<>();
        int ai = 0;
        for (final int[] h : hunks)
        {
            while (ai < h[0])
            {
                out.add(a[ai++]);
            }
            for (int bi = h[2]; bi < h[3]; bi++)
            {
                out.add(b[bi]);
            }
            ai = h[1];
        }
        while (ai < a.length)
        {
            out.add(a[ai++]);
        }
        return out.toArray();
    }

    private static int lcs(final Object[] a, final Object[] b)
    {
        final int[][] table = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--)
        {
            for (int j = b.length - 1; j >= 0; j--)
            {
                table[i][j] = a[i].equals(b[j]) ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
            }
        }
        return table[0][0];
    }
}
