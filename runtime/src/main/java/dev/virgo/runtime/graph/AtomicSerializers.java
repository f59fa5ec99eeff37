package dev.virgo.runtime.graph;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicMarkableReference;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.AtomicStampedReference;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * The atomics a moved thread shares with its origin while it runs: {@code AtomicBoolean}, {@code AtomicInteger},
 * {@code AtomicLong}, {@code AtomicReference}, {@code AtomicMarkableReference}, {@code AtomicStampedReference}, the three
 * atomic arrays, {@code LongAdder} and {@code DoubleAdder}. Their
 * home is the origin: on a node every call the application makes on one is carried there
 * ({@code SyncContext#invoke}). One travels as its value, and every acquire brings the origin's value into the node's
 * copy ({@link AtomicValues}), so JDK code that reads the copy (a {@code toString} inside string concatenation) sees a
 * value at least as recent as the last acquire. One the thread created on its node arrives by value and is adopted at
 * the origin as a new object.
 * <p>
 * Wire layout, after Kryo's class and reference header:
 * <pre>
 *   AtomicBoolean: value:boolean          AtomicInteger: value:varint      AtomicLong: value:varlong
 *   AtomicReference: value:classAndObject LongAdder: sum:varlong           DoubleAdder: sum:double
 *   AtomicMarkableReference: value:classAndObject mark:boolean   AtomicStampedReference: value:classAndObject stamp:varint
 *   AtomicIntegerArray: length:varint value:varint...   AtomicLongArray: length:varint value:varlong...
 *   AtomicReferenceArray: length:varint value:classAndObject...
 * </pre>
 */
final class AtomicSerializers
{
    private AtomicSerializers()
    {
    }

    static void register(final Kryo kryo)
    {
        registerValues(kryo);
        registerArrays(kryo);
    }

    private static void registerValues(final Kryo kryo)
    {
        registerPairs(kryo);
        kryo.addDefaultSerializer(AtomicBoolean.class, new ExactJdkSerializer<AtomicBoolean>()
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
        kryo.addDefaultSerializer(AtomicInteger.class, new ExactJdkSerializer<AtomicInteger>()
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
        kryo.addDefaultSerializer(AtomicLong.class, new ExactJdkSerializer<AtomicLong>()
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
        kryo.addDefaultSerializer(AtomicReference.class, new ExactJdkSerializer<AtomicReference<Object>>()
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
        kryo.addDefaultSerializer(LongAdder.class, new ExactJdkSerializer<LongAdder>()
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
        kryo.addDefaultSerializer(DoubleAdder.class, new ExactJdkSerializer<DoubleAdder>()
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

    /** The references that travel with a mark or a stamp, read and written as one pair. */
    private static void registerPairs(final Kryo kryo)
    {
        kryo.addDefaultSerializer(AtomicMarkableReference.class, new ExactJdkSerializer<AtomicMarkableReference<Object>>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final AtomicMarkableReference<Object> object)
            {
                final boolean[] mark = new boolean[1];
                kryo.writeClassAndObject(output, object.get(mark));
                output.writeBoolean(mark[0]);
            }

            @Override
            public AtomicMarkableReference<Object> read(
                final Kryo kryo, final Input input, final Class<? extends AtomicMarkableReference<Object>> type)
            {
                final AtomicMarkableReference<Object> reference = new AtomicMarkableReference<>(null, false);
                kryo.reference(reference);
                final Object value = kryo.readClassAndObject(input);
                reference.set(value, input.readBoolean());
                return reference;
            }
        });
        kryo.addDefaultSerializer(AtomicStampedReference.class, new ExactJdkSerializer<AtomicStampedReference<Object>>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final AtomicStampedReference<Object> object)
            {
                final int[] stamp = new int[1];
                kryo.writeClassAndObject(output, object.get(stamp));
                output.writeVarInt(stamp[0], false);
            }

            @Override
            public AtomicStampedReference<Object> read(
                final Kryo kryo, final Input input, final Class<? extends AtomicStampedReference<Object>> type)
            {
                final AtomicStampedReference<Object> reference = new AtomicStampedReference<>(null, 0);
                kryo.reference(reference);
                final Object value = kryo.readClassAndObject(input);
                reference.set(value, input.readVarInt(false));
                return reference;
            }
        });
    }

    private static void registerArrays(final Kryo kryo)
    {
        kryo.addDefaultSerializer(AtomicIntegerArray.class, new ExactJdkSerializer<AtomicIntegerArray>()
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
        kryo.addDefaultSerializer(AtomicLongArray.class, new ExactJdkSerializer<AtomicLongArray>()
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
        kryo.addDefaultSerializer(AtomicReferenceArray.class, new ExactJdkSerializer<AtomicReferenceArray<Object>>()
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
}
