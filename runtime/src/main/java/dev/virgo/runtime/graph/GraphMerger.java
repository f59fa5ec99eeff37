package dev.virgo.runtime.graph;

import dev.virgo.runtime.heap.HeapReferences;

import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Date;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

import dev.virgo.api.VirgoException;

/**
 * Writes what a thread changed into the original objects, given three aligned views of the snapshot:
 * {@code originals[i]} (the live object), {@code baselines[i]} (its state at start(), read back from the
 * snapshot) and {@code finals[i]} (its state when the thread ended).
 * <p>
 * Only differences between baseline and final are written, field by field and element by element, so writes the
 * origin made after start() to things the thread left alone survive, and threads that changed disjoint parts of
 * one object all land. A reference is unchanged when both sides point at the same snapshot index, or are equal
 * immutable values. A final value is translated before it is stored: a snapshot object becomes its original; an
 * object the thread created is adopted as is, after its own references are translated the same way.
 * <p>
 * JDK collections and maps are merged by what the thread changed in them ({@link ContainerMerger}), in place,
 * so other threads' writes to them since start() survive; a conflict is reported in one warning per merge that
 * names the thread. Other JDK objects are written back only where a public API allows it (StringBuilder,
 * StringBuffer, BitSet, Date); their private fields are not ours to write. A Collections wrapper (unmodifiable,
 * synchronized) has nothing of its own to merge: its backing collection is in the graph and merged as any.
 * An atomic (and an atomic array, a LongAdder, a DoubleAdder) is written through its own methods, with the volatile
 * writes, when its value differs: its home is the origin, where the application's calls on it are made, so only an
 * acquire on a node ever finds it changed. Locks, conditions, stamped locks, semaphores, latches, barriers, phasers
 * and exchangers are never written: their state is threads waiting at the origin ({@link SynchronizerSerializers}).
 * One the thread created arrives by value and is attached like any new object.
 */
final class GraphMerger
{
    private final Object[] originals;
    private final Object[] baselines;
    private final Object[] finals;
    private final IdentityHashMap<Object, Integer> baselineIndex;
    private final IdentityHashMap<Object, Integer> finalIndex;
    private final IdentityHashMap<Object, Boolean> adopted = new IdentityHashMap<>();
    private final IdentityHashMap<Object, Object> rewrapped = new IdentityHashMap<>();
    private final ArrayDeque<Object> toAdopt = new ArrayDeque<>();
    private final ArrayList<Object[]> containerWrites = new ArrayList<>();
    private final ArrayList<Object[]> volatileWrites = new ArrayList<>();
    private final ArrayList<Runnable> atomicWrites = new ArrayList<>();
    private Runnable beforeVolatileWrites = () -> {};
    private final ContainerMerger containers;
    private final String thread;
    private final Consumer<String> warnings;

    /**
     * @param thread   names the thread in warnings, e.g. {@code thread 'worker-1' (id 31) on node-2}.
     * @param warnings where the merge's one warning goes, if it has one.
     */
    GraphMerger(
        final Object[] originals,
        final Object[] baselines,
        final Object[] finals,
        final String thread,
        final Consumer<String> warnings)
    {
        if (baselines.length != originals.length || finals.length != originals.length)
        {
            throw new VirgoException("snapshot of " + originals.length + " objects does not match its baseline (" +
                baselines.length + ") or final state (" + finals.length + "): nothing was written back");
        }
        this.originals = originals;
        this.baselines = baselines;
        this.finals = finals;
        this.baselineIndex = index(baselines);
        this.finalIndex = index(finals);
        this.thread = thread;
        this.warnings = warnings;
        this.containers = new ContainerMerger(new ElementTokens(originals, baselineIndex, finalIndex), this::translate);
    }

    /**
     * @param hook runs after every plain write of the merge and before its volatile ones: the origin writes the
     *             statics the thread changed there, so a volatile write published them too.
     * @return this.
     */
    GraphMerger beforeVolatileWrites(final Runnable hook)
    {
        beforeVolatileWrites = hook;
        return this;
    }

    void merge()
    {
        checkAlignment();
        for (int i = 0; i < originals.length; i++)
        {
            mergeObject(originals[i], baselines[i], finals[i]);
        }
        drainAdoptions();
        beforeVolatileWrites.run();
        mergeVolatileFields();
        final String warning = containers.warning(thread);
        if (warning != null)
        {
            warnings.accept(warning);
        }
    }

    /**
     * The objects that arrived after the table (a call's arguments or outcome, see {@link GraphCodec#writeTable}), as
     * this side's objects: table objects become this side's, new ones are adopted. Call after {@link #merge()}.
     */
    Object[] translateExtras(final Object[] extras)
    {
        final Object[] translated = new Object[extras.length];
        for (int i = 0; i < extras.length; i++)
        {
            translated[i] = translate(extras[i]);
        }
        drainAdoptions();
        return translated;
    }

    /**
     * Containers last: their hashing may depend on fields merged before. Merging a container may adopt new objects, and
     * adopting may queue more containers, hence the loop.
     */
    private void drainAdoptions()
    {
        while (!toAdopt.isEmpty() || !containerWrites.isEmpty())
        {
            while (!toAdopt.isEmpty())
            {
                adopt(toAdopt.poll());
            }
            final ArrayList<Object[]> writes = new ArrayList<>(containerWrites);
            containerWrites.clear();
            for (final Object[] write : writes)
            {
                if (write[1] == null)
                {
                    containers.attach(write[0]);
                }
                else
                {
                    containers.merge(write[0], write[1], write[2]);
                }
            }
        }
    }

    /** A misaligned final state would write values into the wrong objects; refuse it before touching anything. */
    private void checkAlignment()
    {
        for (int i = 0; i < originals.length; i++)
        {
            final Class<?> expected = originals[i] == null ? null : originals[i].getClass();
            final Class<?> actual = finals[i] == null ? null : finals[i].getClass();
            final boolean lambdas = expected != null && actual != null &&
                GraphTypes.isHidden(expected) && GraphTypes.isHidden(actual);
            // The JDK picks a VarHandle's class by how it was made (JDK 22+ wraps a static field's in a class that
            // initializes its class lazily when that class was not initialized yet): the same variable, and a
            // VarHandle is never written by a merge.
            final boolean varHandles = originals[i] instanceof VarHandle && finals[i] instanceof VarHandle;
            if (expected != actual && !lambdas && !varHandles)
            {
                throw new VirgoException("final state object " + i + " is " + name(actual) + " but the snapshot has " +
                    name(expected) + " there: nothing was written back");
            }
        }
    }

    private void mergeObject(final Object original, final Object baseline, final Object fin)
    {
        if (original == null || GraphTypes.isValue(original) || GraphTypes.isHidden(original.getClass()) ||
            HeapReferences.isHeapObject(original.getClass()) || WrapperCollectionSerializers.isWrapper(original.getClass()))
        {
            return; // a wrapper's writes are its backing collection's, which is in the graph and merged on its own
        }
        final Class<?> type = original.getClass();
        if (type.isArray())
        {
            mergeArray(original, baseline, fin);
            return;
        }
        if (original instanceof Collection || original instanceof Map)
        {
            if (!containers.sameContent(baseline, fin))
            {
                containerWrites.add(new Object[]{original, baseline, fin});
            }
        }
        else if (GraphTypes.isJdk(type))
        {
            mergeJdkObject(original, baseline, fin);
        }
        mergeFields(original, baseline, fin);
    }

    private void mergeFields(final Object original, final Object baseline, final Object fin)
    {
        for (final Field field : GraphTypes.mergedFields(original.getClass()))
        {
            if (Modifier.isVolatile(field.getModifiers()))
            {
                volatileWrites.add(new Object[]{field, original, baseline, fin});
            }
            else
            {
                mergeField(field, original, baseline, fin);
            }
        }
    }

    /**
     * Volatile fields are written after everything else: a volatile write publishes the writes before it, so a thread
     * here that sees the new value must also see the rest of what the moved thread wrote before it (JLS 17.4.5).
     */
    private void mergeVolatileFields()
    {
        for (final Object[] write : volatileWrites)
        {
            mergeField((Field)write[0], write[1], write[2], write[3]);
        }
        volatileWrites.clear();
        for (final Runnable write : atomicWrites)
        {
            write.run();
        }
        atomicWrites.clear();
    }

    private void mergeField(final Field field, final Object original, final Object baseline, final Object fin)
    {
        try
        {
            {
                final Class<?> t = field.getType();
                if (!t.isPrimitive())
                {
                    final Object f = field.get(fin);
                    if (!same(field.get(baseline), f))
                    {
                        field.set(original, translate(f));
                    }
                }
                else if (t == int.class)
                {
                    final int f = field.getInt(fin);
                    if (field.getInt(baseline) != f)
                    {
                        field.setInt(original, f);
                    }
                }
                else if (t == long.class)
                {
                    final long f = field.getLong(fin);
                    if (field.getLong(baseline) != f)
                    {
                        field.setLong(original, f);
                    }
                }
                else if (t == double.class)
                {
                    final double f = field.getDouble(fin);
                    if (Double.doubleToRawLongBits(field.getDouble(baseline)) != Double.doubleToRawLongBits(f))
                    {
                        field.setDouble(original, f);
                    }
                }
                else if (t == float.class)
                {
                    final float f = field.getFloat(fin);
                    if (Float.floatToRawIntBits(field.getFloat(baseline)) != Float.floatToRawIntBits(f))
                    {
                        field.setFloat(original, f);
                    }
                }
                else if (t == boolean.class)
                {
                    final boolean f = field.getBoolean(fin);
                    if (field.getBoolean(baseline) != f)
                    {
                        field.setBoolean(original, f);
                    }
                }
                else if (t == byte.class)
                {
                    final byte f = field.getByte(fin);
                    if (field.getByte(baseline) != f)
                    {
                        field.setByte(original, f);
                    }
                }
                else if (t == short.class)
                {
                    final short f = field.getShort(fin);
                    if (field.getShort(baseline) != f)
                    {
                        field.setShort(original, f);
                    }
                }
                else
                {
                    final char f = field.getChar(fin);
                    if (field.getChar(baseline) != f)
                    {
                        field.setChar(original, f);
                    }
                }
            }
        }
        catch (final IllegalAccessException ex)
        {
            throw new VirgoException(original.getClass().getName() + ": cannot write back a field: " + ex.getMessage(), ex);
        }
    }

    private void mergeArray(final Object original, final Object baseline, final Object fin)
    {
        if (original instanceof Object[])
        {
            final Object[] o = (Object[])original;
            final Object[] b = (Object[])baseline;
            final Object[] f = (Object[])fin;
            for (int j = 0; j < o.length; j++)
            {
                if (!same(b[j], f[j]))
                {
                    o[j] = translate(f[j]);
                }
            }
        }
        else if (original instanceof int[])
        {
            final int[] o = (int[])original;
            final int[] b = (int[])baseline;
            final int[] f = (int[])fin;
            for (int j = 0; j < o.length; j++)
            {
                if (b[j] != f[j])
                {
                    o[j] = f[j];
                }
            }
        }
        else if (original instanceof long[])
        {
            final long[] o = (long[])original;
            final long[] b = (long[])baseline;
            final long[] f = (long[])fin;
            for (int j = 0; j < o.length; j++)
            {
                if (b[j] != f[j])
                {
                    o[j] = f[j];
                }
            }
        }
        else if (original instanceof double[])
        {
            final double[] o = (double[])original;
            final double[] b = (double[])baseline;
            final double[] f = (double[])fin;
            for (int j = 0; j < o.length; j++)
            {
                if (Double.doubleToRawLongBits(b[j]) != Double.doubleToRawLongBits(f[j]))
                {
                    o[j] = f[j];
                }
            }
        }
        else if (original instanceof float[])
        {
            final float[] o = (float[])original;
            final float[] b = (float[])baseline;
            final float[] f = (float[])fin;
            for (int j = 0; j < o.length; j++)
            {
                if (Float.floatToRawIntBits(b[j]) != Float.floatToRawIntBits(f[j]))
                {
                    o[j] = f[j];
                }
            }
        }
        else if (original instanceof byte[])
        {
            final byte[] o = (byte[])original;
            final byte[] b = (byte[])baseline;
            final byte[] f = (byte[])fin;
            for (int j = 0; j < o.length; j++)
            {
                if (b[j] != f[j])
                {
                    o[j] = f[j];
                }
            }
        }
        else if (original instanceof char[])
        {
            final char[] o = (char[])original;
            final char[] b = (char[])baseline;
            final char[] f = (char[])fin;
            for (int j = 0; j < o.length; j++)
            {
                if (b[j] != f[j])
                {
                    o[j] = f[j];
                }
            }
        }
        else if (original instanceof short[])
        {
            final short[] o = (short[])original;
            final short[] b = (short[])baseline;
            final short[] f = (short[])fin;
            for (int j = 0; j < o.length; j++)
            {
                if (b[j] != f[j])
                {
                    o[j] = f[j];
                }
            }
        }
        else if (original instanceof boolean[])
        {
            final boolean[] o = (boolean[])original;
            final boolean[] b = (boolean[])baseline;
            final boolean[] f = (boolean[])fin;
            for (int j = 0; j < o.length; j++)
            {
                if (b[j] != f[j])
                {
                    o[j] = f[j];
                }
            }
        }
    }

    /** JDK objects whose state is reachable only through their public API. */
    private void mergeJdkObject(final Object original, final Object baseline, final Object fin)
    {
        if (AtomicValues.isAtomic(original))
        {
            final Runnable write = AtomicValues.write(original, baseline, fin, this::same, this::translate);
            if (null != write)
            {
                atomicWrites.add(write);
            }
        }
        else if (original instanceof StringBuilder)
        {
            final String f = fin.toString();
            if (!baseline.toString().equals(f))
            {
                ((StringBuilder)original).setLength(0);
                ((StringBuilder)original).append(f);
            }
        }
        else if (original instanceof StringBuffer)
        {
            final String f = fin.toString();
            if (!baseline.toString().equals(f))
            {
                ((StringBuffer)original).setLength(0);
                ((StringBuffer)original).append(f);
            }
        }
        else if (original instanceof BitSet)
        {
            if (!baseline.equals(fin))
            {
                ((BitSet)original).clear();
                ((BitSet)original).or((BitSet)fin);
            }
        }
        else if (original instanceof Date)
        {
            final long f = ((Date)fin).getTime();
            if (((Date)baseline).getTime() != f)
            {
                ((Date)original).setTime(f);
            }
        }
    }

    private boolean same(final Object b, final Object f)
    {
        if (b == f)
        {
            return true; // both null, or the same canonical value (an enum constant)
        }
        if (b == null || f == null)
        {
            return false;
        }
        if (GraphTypes.isValue(b) && GraphTypes.isValue(f))
        {
            return GraphTypes.valueEquals(b, f);
        }
        final Integer bi = baselineIndex.get(b);
        return bi != null && bi.equals(finalIndex.get(f));
    }

    private Object translate(final Object value)
    {
        if (value == null)
        {
            return null;
        }
        final Integer index = finalIndex.get(value);
        if (index != null)
        {
            return originals[index];
        }
        if (WrapperCollectionSerializers.isWrapper(value.getClass()))
        {
            return rewrapped(value);
        }
        if (!GraphTypes.isValue(value) && !HeapReferences.isHeapObject(value.getClass()) &&
            adopted.put(value, Boolean.TRUE) == null)
        {
            toAdopt.add(value); // rewritten later, iteratively: a long chain of new objects must not overflow the stack
        }
        return value;
    }

    /**
     * A wrapper the thread created: its backing collection's private field cannot be rewritten to the original, so
     * it is replaced by a new wrapper of the same class around the translated backing collection (one per wrapper).
     */
    private Object rewrapped(final Object wrapper)
    {
        Object replacement = rewrapped.get(wrapper);
        if (replacement == null)
        {
            replacement = WrapperCollectionSerializers.rewrap(
                wrapper.getClass(), translate(WrapperCollectionSerializers.backing(wrapper)));
            rewrapped.put(wrapper, replacement);
        }
        return replacement;
    }

    /** An object the thread created joins the original graph; its references to snapshot copies become originals. */
    @SuppressWarnings("unchecked")
    private void adopt(final Object object)
    {
        final Class<?> type = object.getClass();
        if (object instanceof Object[])
        {
            final Object[] array = (Object[])object;
            for (int j = 0; j < array.length; j++)
            {
                array[j] = translate(array[j]);
            }
            return;
        }
        if (type.isArray() || GraphTypes.isHidden(type))
        {
            return; // primitive arrays hold no references; lambdas' captures are final in a hidden class
        }
        if (object instanceof AtomicReference)
        {
            final AtomicReference<Object> reference = (AtomicReference<Object>)object;
            reference.set(translate(reference.get()));
            return;
        }
        if (object instanceof AtomicReferenceArray)
        {
            final AtomicReferenceArray<Object> array = (AtomicReferenceArray<Object>)object;
            for (int j = 0; j < array.length(); j++)
            {
                array.set(j, translate(array.get(j)));
            }
            return;
        }
        if (object instanceof Collection || object instanceof Map)
        {
            containerWrites.add(new Object[]{object, null, object});
        }
        for (final Field field : GraphTypes.adoptedFields(type))
        {
            if (field.getType().isPrimitive())
            {
                continue;
            }
            try
            {
                final Object value = field.get(object);
                final Object translated = translate(value);
                if (translated != value)
                {
                    field.set(object, translated);
                }
            }
            catch (final IllegalAccessException ex)
            {
                throw new VirgoException(type.getName() + "." + field.getName() +
                    ": cannot attach a new object to the original graph: " + ex.getMessage(), ex);
            }
        }
    }

    static IdentityHashMap<Object, Integer> index(final Object[] objects)
    {
        final IdentityHashMap<Object, Integer> index = new IdentityHashMap<>(objects.length * 2);
        for (int i = 0; i < objects.length; i++)
        {
            if (objects[i] != null)
            {
                index.putIfAbsent(objects[i], i);
            }
        }
        return index;
    }

    private static String name(final Class<?> type)
    {
        return type == null ? "null" : type.getName();
    }
}
