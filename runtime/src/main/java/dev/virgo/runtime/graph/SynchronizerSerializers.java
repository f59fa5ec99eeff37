package dev.virgo.runtime.graph;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Phaser;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * The java.util.concurrent objects a moved thread shares with its origin while it runs: atomics, locks and their
 * conditions, semaphores, latches, barriers and phasers. Their home is the origin: on a node, every call the
 * application makes on one is carried to the origin and made there on the real object by the thread's shadow
 * ({@code SyncContext#invoke}), so what travels is only what the node's copy needs to be a stand-in with the same
 * identity in the shared table:
 * <ul>
 *     <li>an atomic (or an atomic array, a {@code LongAdder}, a {@code DoubleAdder}) travels as its value, and every
 *     acquire brings the origin's value into the node's copy ({@link GraphMerger}), so JDK code that reads the copy
 *     (a {@code toString} inside string concatenation) sees a value at least as recent as the last acquire;</li>
 *     <li>a lock, a condition, a semaphore, a latch, a barrier or a phaser travels as a fresh stand-in of the same
 *     class and parameters (fairness, permits, count, parties). Its state is threads waiting at the origin, not a
 *     value, so the merge never writes one, in either direction.</li>
 * </ul>
 * Objects a thread created on its node and published (or left in its final state) arrive the same way and are adopted
 * at the origin as new objects: from then on the origin holds the real one. A lock the node holds itself (one it
 * created and locked before publishing it) cannot be handed over: refused with a clear reason. Only the exact JDK
 * classes: a subclass may hold state of its own that its value does not carry (it stays refused, the thread local).
 * <p>
 * Wire layout, after Kryo's class and reference header:
 * <pre>
 *   AtomicBoolean: value:boolean          AtomicInteger: value:varint      AtomicLong: value:varlong
 *   AtomicReference: value:classAndObject LongAdder: sum:varlong           DoubleAdder: sum:double
 *   AtomicIntegerArray: length:varint value:varint...   AtomicLongArray: length:varint value:varlong...
 *   AtomicReferenceArray: length:varint value:classAndObject...
 *   ReentrantLock, ReentrantReadWriteLock: fair:boolean   its read and write locks, a Condition: nothing
 *   Semaphore: permits:varint fair:boolean  CountDownLatch: count:varlong  CyclicBarrier, Phaser: parties:varint
 * </pre>
 */
final class SynchronizerSerializers
{
    private SynchronizerSerializers()
    {
    }

    /** @param onNode true while a node encodes (a release, a final state): a lock the node itself holds is refused. */
    static void register(final Kryo kryo, final BooleanSupplier onNode)
    {
        registerAtomics(kryo);
        registerAtomicArrays(kryo);
        registerLocks(kryo, onNode);
        kryo.addDefaultSerializer(AbstractQueuedSynchronizer.ConditionObject.class,
            new Exact<AbstractQueuedSynchronizer.ConditionObject>()
            {
                @Override
                void writeValue(final Kryo kryo, final Output output, final AbstractQueuedSynchronizer.ConditionObject o)
                {
                }

                @Override
                public AbstractQueuedSynchronizer.ConditionObject read(
                    final Kryo kryo,
                    final Input input,
                    final Class<? extends AbstractQueuedSynchronizer.ConditionObject> type)
                {
                    return (AbstractQueuedSynchronizer.ConditionObject)new ReentrantLock().newCondition();
                }
            });
        kryo.addDefaultSerializer(Semaphore.class, new Exact<Semaphore>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final Semaphore object)
            {
                output.writeVarInt(object.availablePermits(), false);
                output.writeBoolean(object.isFair());
            }

            @Override
            public Semaphore read(final Kryo kryo, final Input input, final Class<? extends Semaphore> type)
            {
                final int permits = input.readVarInt(false);
                return new Semaphore(permits, input.readBoolean());
            }
        });
        kryo.addDefaultSerializer(CountDownLatch.class, new Exact<CountDownLatch>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final CountDownLatch object)
            {
                output.writeVarLong(object.getCount(), true);
            }

            @Override
            public CountDownLatch read(final Kryo kryo, final Input input, final Class<? extends CountDownLatch> type)
            {
                return new CountDownLatch((int)Math.min(Integer.MAX_VALUE, input.readVarLong(true)));
            }
        });
        kryo.addDefaultSerializer(CyclicBarrier.class, new Exact<CyclicBarrier>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final CyclicBarrier object)
            {
                output.writeVarInt(object.getParties(), true);
            }

            @Override
            public CyclicBarrier read(final Kryo kryo, final Input input, final Class<? extends CyclicBarrier> type)
            {
                return new CyclicBarrier(Math.max(1, input.readVarInt(true)));
            }
        });
        kryo.addDefaultSerializer(Phaser.class, new Exact<Phaser>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final Phaser object)
            {
                output.writeVarInt(object.getRegisteredParties(), true);
            }

            @Override
            public Phaser read(final Kryo kryo, final Input input, final Class<? extends Phaser> type)
            {
                return new Phaser(Math.min(input.readVarInt(true), 65535));
            }
        });
    }

    private static void registerAtomics(final Kryo kryo)
    {
        kryo.addDefaultSerializer(AtomicBoolean.class, new Exact<AtomicBoolean>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final AtomicBoolean object)
            {
                output.writeBoolean(object.get());
            }

            @Override
            public AtomicBoolean read(final Kryo kryo, final Input input, final Class<? extends AtomicBoolean> type)
            {
                return new AtomicBoolean(input.readBoolean());
            }
        });
        kryo.addDefaultSerializer(AtomicInteger.class, new Exact<AtomicInteger>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final AtomicInteger object)
            {
                output.writeVarInt(object.get(), false);
            }

            @Override
            public AtomicInteger read(final Kryo kryo, final Input input, final Class<? extends AtomicInteger> type)
            {
                return new AtomicInteger(input.readVarInt(false));
            }
        });
        kryo.addDefaultSerializer(AtomicLong.class, new Exact<AtomicLong>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final AtomicLong object)
            {
                output.writeVarLong(object.get(), false);
            }

            @Override
            public AtomicLong read(final Kryo kryo, final Input input, final Class<? extends AtomicLong> type)
            {
                return new AtomicLong(input.readVarLong(false));
            }
        });
        kryo.addDefaultSerializer(AtomicReference.class, new Exact<AtomicReference<Object>>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final AtomicReference<Object> object)
            {
                kryo.writeClassAndObject(output, object.get());
            }

            @Override
            public AtomicReference<Object> read(
                final Kryo kryo, final Input input, final Class<? extends AtomicReference<Object>> type)
            {
                final AtomicReference<Object> reference = new AtomicReference<>();
                kryo.reference(reference); // the real object at its id, before its value, as Kryo's own do
                reference.set(kryo.readClassAndObject(input));
                return reference;
            }
        });
        kryo.addDefaultSerializer(LongAdder.class, new Exact<LongAdder>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final LongAdder object)
            {
                output.writeVarLong(object.sum(), false);
            }

            @Override
            public LongAdder read(final Kryo kryo, final Input input, final Class<? extends LongAdder> type)
            {
                final LongAdder adder = new LongAdder();
                adder.add(input.readVarLong(false));
                return adder;
            }
        });
        kryo.addDefaultSerializer(DoubleAdder.class, new Exact<DoubleAdder>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final DoubleAdder object)
            {
                output.writeDouble(object.sum());
            }

            @Override
            public DoubleAdder read(final Kryo kryo, final Input input, final Class<? extends DoubleAdder> type)
            {
                final DoubleAdder adder = new DoubleAdder();
                adder.add(input.readDouble());
                return adder;
            }
        });
    }

    private static void registerAtomicArrays(final Kryo kryo)
    {
        kryo.addDefaultSerializer(AtomicIntegerArray.class, new Exact<AtomicIntegerArray>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final AtomicIntegerArray object)
            {
                output.writeVarInt(object.length(), true);
                for (int i = 0; i < object.length(); i++)
                {
                    output.writeVarInt(object.get(i), false);
                }
            }

            @Override
            public AtomicIntegerArray read(
                final Kryo kryo, final Input input, final Class<? extends AtomicIntegerArray> type)
            {
                final int[] values = new int[checkedLength(input)];
                for (int i = 0; i < values.length; i++)
                {
                    values[i] = input.readVarInt(false);
                }
                return new AtomicIntegerArray(values);
            }
        });
        kryo.addDefaultSerializer(AtomicLongArray.class, new Exact<AtomicLongArray>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final AtomicLongArray object)
            {
                output.writeVarInt(object.length(), true);
                for (int i = 0; i < object.length(); i++)
                {
                    output.writeVarLong(object.get(i), false);
                }
            }

            @Override
            public AtomicLongArray read(final Kryo kryo, final Input input, final Class<? extends AtomicLongArray> type)
            {
                final long[] values = new long[checkedLength(input)];
                for (int i = 0; i < values.length; i++)
                {
                    values[i] = input.readVarLong(false);
                }
                return new AtomicLongArray(values);
            }
        });
        kryo.addDefaultSerializer(AtomicReferenceArray.class, new Exact<AtomicReferenceArray<Object>>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final AtomicReferenceArray<Object> object)
            {
                output.writeVarInt(object.length(), true);
                for (int i = 0; i < object.length(); i++)
                {
                    kryo.writeClassAndObject(output, object.get(i));
                }
            }

            @Override
            public AtomicReferenceArray<Object> read(
                final Kryo kryo, final Input input, final Class<? extends AtomicReferenceArray<Object>> type)
            {
                final AtomicReferenceArray<Object> array = new AtomicReferenceArray<>(checkedLength(input));
                kryo.reference(array);
                for (int i = 0; i < array.length(); i++)
                {
                    array.set(i, kryo.readClassAndObject(input));
                }
                return array;
            }
        });
    }

    private static void registerLocks(final Kryo kryo, final BooleanSupplier onNode)
    {
        kryo.addDefaultSerializer(ReentrantLock.class, new Exact<ReentrantLock>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final ReentrantLock object)
            {
                if (onNode.getAsBoolean() && object.isLocked())
                {
                    throw new RefusedObjectException(object.getClass(), HELD);
                }
                output.writeBoolean(object.isFair());
            }

            @Override
            public ReentrantLock read(final Kryo kryo, final Input input, final Class<? extends ReentrantLock> type)
            {
                return new ReentrantLock(input.readBoolean());
            }
        });
        kryo.addDefaultSerializer(ReentrantReadWriteLock.class, new Exact<ReentrantReadWriteLock>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final ReentrantReadWriteLock object)
            {
                if (onNode.getAsBoolean() && (object.isWriteLocked() || object.getReadLockCount() > 0))
                {
                    throw new RefusedObjectException(object.getClass(), HELD);
                }
                output.writeBoolean(object.isFair());
            }

            @Override
            public ReentrantReadWriteLock read(
                final Kryo kryo, final Input input, final Class<? extends ReentrantReadWriteLock> type)
            {
                return new ReentrantReadWriteLock(input.readBoolean());
            }
        });
        kryo.addDefaultSerializer(ReentrantReadWriteLock.ReadLock.class, new Exact<ReentrantReadWriteLock.ReadLock>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final ReentrantReadWriteLock.ReadLock object)
            {
            }

            @Override
            public ReentrantReadWriteLock.ReadLock read(
                final Kryo kryo, final Input input, final Class<? extends ReentrantReadWriteLock.ReadLock> type)
            {
                return new ReentrantReadWriteLock().readLock();
            }
        });
        kryo.addDefaultSerializer(ReentrantReadWriteLock.WriteLock.class, new Exact<ReentrantReadWriteLock.WriteLock>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final ReentrantReadWriteLock.WriteLock object)
            {
                if (onNode.getAsBoolean() && object.isHeldByCurrentThread())
                {
                    throw new RefusedObjectException(object.getClass(), HELD);
                }
            }

            @Override
            public ReentrantReadWriteLock.WriteLock read(
                final Kryo kryo, final Input input, final Class<? extends ReentrantReadWriteLock.WriteLock> type)
            {
                return new ReentrantReadWriteLock().writeLock();
            }
        });
    }

    private static int checkedLength(final Input input)
    {
        final int length = input.readVarInt(true);
        if (length > input.limit() - input.position()) // every element takes at least one byte
        {
            throw new RefusedObjectException(Object[].class, "an atomic array of " + length + " elements does not fit " +
                "in the " + (input.limit() - input.position()) + " bytes left");
        }
        return length;
    }

    private static final String HELD = "a lock this node holds itself (one the thread created and locked) cannot be " +
        "handed to the origin; unlock it before publishing it (a volatile write, a monitor exit) or ending the thread";

    /** Only the exact JDK class: a subclass may hold state of its own that its value does not carry. */
    private abstract static class Exact<T> extends Serializer<T>
    {
        @Override
        public final void write(final Kryo kryo, final Output output, final T object)
        {
            if (object.getClass().getClassLoader() != null)
            {
                throw new RefusedObjectException(object.getClass(), "a subclass of a java.util.concurrent class may " +
                    "hold state of its own that cannot be shared with the origin");
            }
            writeValue(kryo, output, object);
        }

        abstract void writeValue(Kryo kryo, Output output, T object);
    }
}
