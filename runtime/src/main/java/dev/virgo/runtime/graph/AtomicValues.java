package dev.virgo.runtime.graph;

import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicMarkableReference;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.AtomicStampedReference;
import java.util.concurrent.atomic.DoubleAccumulator;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;

/**
 * The merge of the atomics {@link AtomicSerializers} carries by value: compared by value with the baseline, and
 * written through their own methods. Separate from {@link GraphMerger} because each kind has its own accessors.
 */
final class AtomicValues
{
    private AtomicValues()
    {
    }

    static boolean isAtomic(final Object object)
    {
        final Class<?> type = object.getClass();
        return type == AtomicInteger.class || type == AtomicLong.class || type == AtomicBoolean.class ||
            type == AtomicReference.class || type == AtomicIntegerArray.class || type == AtomicLongArray.class ||
            type == AtomicReferenceArray.class || type == LongAdder.class || type == DoubleAdder.class ||
            type == AtomicMarkableReference.class || type == AtomicStampedReference.class ||
            type == LongAccumulator.class || type == DoubleAccumulator.class;
    }

    /**
     * @param same      whether a baseline reference and a final one name the same object.
     * @param translate a final reference as this side's object; called now, so that new objects are adopted with the
     *                  rest of the merge.
     * @return the write to make with the merge's volatile writes, or null when the value did not change.
     */
    @SuppressWarnings("unchecked")
    static Runnable write(
        final Object original,
        final Object baseline,
        final Object fin,
        final BiPredicate<Object, Object> same,
        final UnaryOperator<Object> translate)
    {
        if (original instanceof AtomicInteger)
        {
            final int value = ((AtomicInteger)fin).get();
            return ((AtomicInteger)baseline).get() == value ? null : () -> ((AtomicInteger)original).set(value);
        }
        if (original instanceof AtomicLong)
        {
            final long value = ((AtomicLong)fin).get();
            return ((AtomicLong)baseline).get() == value ? null : () -> ((AtomicLong)original).set(value);
        }
        if (original instanceof AtomicBoolean)
        {
            final boolean value = ((AtomicBoolean)fin).get();
            return ((AtomicBoolean)baseline).get() == value ? null : () -> ((AtomicBoolean)original).set(value);
        }
        if (original instanceof AtomicReference)
        {
            final Object value = ((AtomicReference<Object>)fin).get();
            if (same.test(((AtomicReference<Object>)baseline).get(), value))
            {
                return null;
            }
            final Object translated = translate.apply(value);
            return () -> ((AtomicReference<Object>)original).set(translated);
        }
        if (original instanceof AtomicMarkableReference)
        {
            final boolean[] mark = new boolean[1];
            final boolean[] baselineMark = new boolean[1];
            final Object value = ((AtomicMarkableReference<Object>)fin).get(mark);
            if (same.test(((AtomicMarkableReference<Object>)baseline).get(baselineMark), value) &&
                baselineMark[0] == mark[0])
            {
                return null;
            }
            final Object translated = translate.apply(value);
            return () -> ((AtomicMarkableReference<Object>)original).set(translated, mark[0]);
        }
        if (original instanceof AtomicStampedReference)
        {
            final int[] stamp = new int[1];
            final int[] baselineStamp = new int[1];
            final Object value = ((AtomicStampedReference<Object>)fin).get(stamp);
            if (same.test(((AtomicStampedReference<Object>)baseline).get(baselineStamp), value) &&
                baselineStamp[0] == stamp[0])
            {
                return null;
            }
            final Object translated = translate.apply(value);
            return () -> ((AtomicStampedReference<Object>)original).set(translated, stamp[0]);
        }
        if (original instanceof LongAccumulator)
        {
            // Set, not combined: the program's accumulate calls are all made at the origin, so a value that differs
            // from the last exchange is the origin's, arriving at a node's stand-in (AccumulatorSerializers).
            final long value = ((LongAccumulator)fin).get();
            return ((LongAccumulator)baseline).get() == value ? null :
                () -> AccumulatorSerializers.set((LongAccumulator)original, value);
        }
        if (original instanceof DoubleAccumulator)
        {
            final double value = ((DoubleAccumulator)fin).get();
            return Double.compare(((DoubleAccumulator)baseline).get(), value) == 0 ? null :
                () -> AccumulatorSerializers.set((DoubleAccumulator)original, value);
        }
        if (original instanceof LongAdder)
        {
            final long delta = ((LongAdder)fin).sum() - ((LongAdder)baseline).sum();
            return delta == 0 ? null : () -> ((LongAdder)original).add(delta);
        }
        if (original instanceof DoubleAdder)
        {
            final double delta = ((DoubleAdder)fin).sum() - ((DoubleAdder)baseline).sum();
            return delta == 0 ? null : () -> ((DoubleAdder)original).add(delta);
        }
        return writeArray(original, baseline, fin, same, translate);
    }

    @SuppressWarnings("unchecked")
    private static Runnable writeArray(
        final Object original,
        final Object baseline,
        final Object fin,
        final BiPredicate<Object, Object> same,
        final UnaryOperator<Object> translate)
    {
        final ArrayList<Runnable> writes = new ArrayList<>();
        if (original instanceof AtomicIntegerArray)
        {
            final AtomicIntegerArray o = (AtomicIntegerArray)original;
            final AtomicIntegerArray b = (AtomicIntegerArray)baseline;
            final AtomicIntegerArray f = (AtomicIntegerArray)fin;
            for (int i = 0; i < Math.min(o.length(), f.length()); i++)
            {
                final int index = i;
                final int value = f.get(i);
                if (b.get(i) != value)
                {
                    writes.add(() -> o.set(index, value));
                }
            }
        }
        else if (original instanceof AtomicLongArray)
        {
            final AtomicLongArray o = (AtomicLongArray)original;
            final AtomicLongArray b = (AtomicLongArray)baseline;
            final AtomicLongArray f = (AtomicLongArray)fin;
            for (int i = 0; i < Math.min(o.length(), f.length()); i++)
            {
                final int index = i;
                final long value = f.get(i);
                if (b.get(i) != value)
                {
                    writes.add(() -> o.set(index, value));
                }
            }
        }
        else if (original instanceof AtomicReferenceArray)
        {
            final AtomicReferenceArray<Object> o = (AtomicReferenceArray<Object>)original;
            final AtomicReferenceArray<Object> b = (AtomicReferenceArray<Object>)baseline;
            final AtomicReferenceArray<Object> f = (AtomicReferenceArray<Object>)fin;
            for (int i = 0; i < Math.min(o.length(), f.length()); i++)
            {
                final int index = i;
                final Object value = f.get(i);
                if (!same.test(b.get(i), value))
                {
                    final Object translated = translate.apply(value);
                    writes.add(() -> o.set(index, translated));
                }
            }
        }
        return writes.isEmpty() ? null : () -> writes.forEach(Runnable::run);
    }
}
