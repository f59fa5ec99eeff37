package dev.virgo.runtime.graph;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Atomics and locks a moved thread created on its node and left in its graph, carried back in its final state by
 * value: an atomic as its value, a lock as a fresh unlocked lock of the same fairness.
 * <p>
 * GraphKryo refuses these in a snapshot: at start() another thread may use the object while this one runs, and a
 * copy would coordinate nothing. In a final state every such object is one the thread made (its snapshot held
 * none, or the thread would not have moved), shared with nobody at the origin yet, so its value is all there is
 * to it. A lock still held when the thread ended is an error: the origin could not hand it to a holder that no
 * longer runs. Other synchronizers (semaphores, latches, barriers, conditions, queues, executors) stay refused in
 * both directions: their state is waiting threads, not a value.
 * <p>
 * Wire layout, after Kryo's class and reference header:
 * <pre>
 *   AtomicBoolean: value:boolean          AtomicInteger: value:varint      AtomicLong: value:varlong
 *   AtomicReference: value:classAndObject LongAdder: sum:varlong
 *   ReentrantLock, ReentrantReadWriteLock: fair:boolean
 * </pre>
 */
final class CreatedSynchronizerSerializers
{
    private CreatedSynchronizerSerializers()
    {
    }

    /**
     * @param encodingFinalState true while the node encodes a final state; otherwise writing one is refused with
     *                           {@code reason}, as before.
     */
    static void register(final Kryo kryo, final BooleanSupplier encodingFinalState, final String atomic, final String lock)
    {
        kryo.addDefaultSerializer(AtomicBoolean.class, new ByValue<AtomicBoolean>(encodingFinalState, atomic)
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
        kryo.addDefaultSerializer(AtomicInteger.class, new ByValue<AtomicInteger>(encodingFinalState, atomic)
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
        kryo.addDefaultSerializer(AtomicLong.class, new ByValue<AtomicLong>(encodingFinalState, atomic)
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
        kryo.addDefaultSerializer(AtomicReference.class, new ByValue<AtomicReference<Object>>(encodingFinalState, atomic)
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
        kryo.addDefaultSerializer(LongAdder.class, new ByValue<LongAdder>(encodingFinalState, atomic)
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
        kryo.addDefaultSerializer(ReentrantLock.class, new ByValue<ReentrantLock>(encodingFinalState, lock)
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final ReentrantLock object)
            {
                if (object.isLocked())
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
        kryo.addDefaultSerializer(ReentrantReadWriteLock.class, new ByValue<ReentrantReadWriteLock>(encodingFinalState, lock)
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final ReentrantReadWriteLock object)
            {
                if (object.isWriteLocked() || object.getReadLockCount() > 0)
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
    }

    private static final String HELD = "a lock the thread created was still held when it ended; the origin cannot " +
        "hand a held lock to a thread that no longer runs (unlock it in a finally block)";

    /** Only the exact JDK class: a subclass may hold state of its own that its value does not carry. */
    private abstract static class ByValue<T> extends Serializer<T>
    {
        private final BooleanSupplier encodingFinalState;
        private final String refusal;

        ByValue(final BooleanSupplier encodingFinalState, final String refusal)
        {
            this.encodingFinalState = encodingFinalState;
            this.refusal = refusal;
        }

        @Override
        public final void write(final Kryo kryo, final Output output, final T object)
        {
            if (!encodingFinalState.getAsBoolean() || object.getClass().getClassLoader() != null)
            {
                throw new RefusedObjectException(object.getClass(), refusal);
            }
            writeValue(kryo, output, object);
        }

        abstract void writeValue(Kryo kryo, Output output, T object);
    }
}
