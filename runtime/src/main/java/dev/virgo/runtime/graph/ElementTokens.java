package dev.virgo.runtime.graph;

import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * What an element of a container stands for in each of the three versions a merge compares: the baseline (read
 * back from the snapshot), the thread's final copy, and the live container at the origin. Two elements of
 * different versions are the same element when their tokens are equal: a value (String, boxed primitive, enum...)
 * by its content, a snapshot object by its snapshot index (the live side finds it by the identity of its
 * original); anything else (an object the thread created, or that someone else added) matches only itself.
 */
final class ElementTokens
{
    private final Object[] originals;
    private final IdentityHashMap<Object, Integer> baselineIndex;
    private final IdentityHashMap<Object, Integer> finalIndex;
    private IdentityHashMap<Object, Integer> originalIndex;

    ElementTokens(
        final Object[] originals,
        final IdentityHashMap<Object, Integer> baselineIndex,
        final IdentityHashMap<Object, Integer> finalIndex)
    {
        this.originals = originals;
        this.baselineIndex = baselineIndex;
        this.finalIndex = finalIndex;
    }

    Object baseline(final Object element)
    {
        return token(element, baselineIndex);
    }

    Object fin(final Object element)
    {
        return token(element, finalIndex);
    }

    /** Live containers hold originals: built on first use, as most merges touch no container. */
    Object live(final Object element)
    {
        if (originalIndex == null)
        {
            originalIndex = GraphMerger.index(originals);
        }
        return token(element, originalIndex);
    }

    /** The live object a baseline element stands for: its original, or the value itself. */
    Object originalOf(final Object baselineElement)
    {
        if (baselineElement == null || GraphTypes.isValue(baselineElement))
        {
            return baselineElement;
        }
        final Integer i = baselineIndex.get(baselineElement);
        return i != null ? originals[i] : baselineElement;
    }

    HashMap<Object, Integer> baselineCounts(final Collection<?> content)
    {
        return counts(content, baselineIndex);
    }

    HashMap<Object, Integer> finalCounts(final Collection<?> content)
    {
        return counts(content, finalIndex);
    }

    HashMap<Object, Object> baselineEntries(final Map<?, ?> content)
    {
        return entries(content, baselineIndex);
    }

    HashMap<Object, Object> finalEntries(final Map<?, ?> content)
    {
        return entries(content, finalIndex);
    }

    private static HashMap<Object, Integer> counts(final Collection<?> content, final IdentityHashMap<Object, Integer> index)
    {
        final HashMap<Object, Integer> counts = new HashMap<>();
        for (final Object element : content)
        {
            counts.merge(token(element, index), 1, Integer::sum);
        }
        return counts;
    }

    private static HashMap<Object, Object> entries(final Map<?, ?> content, final IdentityHashMap<Object, Integer> index)
    {
        final HashMap<Object, Object> tokens = new HashMap<>();
        for (final Map.Entry<?, ?> entry : content.entrySet())
        {
            tokens.put(token(entry.getKey(), index), token(entry.getValue(), index));
        }
        return tokens;
    }

    private static Object token(final Object element, final IdentityHashMap<Object, Integer> index)
    {
        if (element == null)
        {
            return NullToken.NULL;
        }
        if (GraphTypes.isValue(element))
        {
            return element;
        }
        final Integer i = index.get(element);
        return i != null ? new SnapshotRef(i) : new NewObject(element);
    }

    private enum NullToken
    {
        NULL
    }

    private record SnapshotRef(int index)
    {
    }

    private static final class NewObject
    {
        private final Object object;

        NewObject(final Object object)
        {
            this.object = object;
        }

        @Override
        public boolean equals(final Object other)
        {
            return other instanceof NewObject && ((NewObject)other).object == object;
        }

        @Override
        public int hashCode()
        {
            return System.identityHashCode(object);
        }
    }
}
