package dev.virgo.runtime.graph;

import java.io.Serializable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.DoubleAccumulator;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.function.DoubleBinaryOperator;
import java.util.function.LongBinaryOperator;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * {@code LongAccumulator} and {@code DoubleAccumulator}, shared like the other atomics: on a node every call the
 * application makes on one is carried to the origin ({@code SyncContext#invoke}), so the node's copy is a stand-in that
 * shows the value as of the last acquire ({@link AtomicValues}). What makes them harder is their function, which the
 * JDK keeps private and which {@code get()} does not need but {@code accumulate} does:
 * <ul>
 *     <li>from the origin, the function is usually one of the program's lambdas, which the origin does not make
 *     serializable: the node's stand-in gets {@link FunctionAtTheOrigin} instead, which refuses to run (only code Virgo
 *     does not rewrite, JDK code or reflection, could call it there: the program's own calls go to the origin);</li>
 *     <li>from a node (an accumulator a moved thread created and published), the function is one of the node's lambdas,
 *     which are all serializable, or an object of the program's: it travels, so the origin holds a working one.</li>
 * </ul>
 * Reading the function, the identity and the value's base needs {@code java.util.concurrent.atomic} opened to Virgo,
 * which the agent and a node's launcher do ({@code JdkAccess}); without it an accumulator is refused, saying so.
 * <p>
 * Wire layout, after Kryo's class and reference header:
 * <pre>
 *   LongAccumulator:   identity:varlong   value:varlong  hasFunction:boolean [function:classAndObject]
 *   DoubleAccumulator: identity:double    value:double   hasFunction:boolean [function:classAndObject]
 * </pre>
 */
final class AccumulatorSerializers
{
    private static final VarHandle LONG_FUNCTION;
    private static final VarHandle LONG_IDENTITY;
    private static final VarHandle DOUBLE_FUNCTION;
    private static final VarHandle DOUBLE_IDENTITY;
    private static final VarHandle BASE;
    /** Why the handles above could not be had, or null when they were. */
    private static final String UNREADABLE;

    static
    {
        VarHandle longFunction = null;
        VarHandle longIdentity = null;
        VarHandle doubleFunction = null;
        VarHandle doubleIdentity = null;
        VarHandle base = null;
        String unreadable = null;
        try
        {
            final MethodHandles.Lookup ours = MethodHandles.lookup();
            final MethodHandles.Lookup longs = MethodHandles.privateLookupIn(LongAccumulator.class, ours);
            longFunction = longs.findVarHandle(LongAccumulator.class, "function", LongBinaryOperator.class);
            longIdentity = longs.findVarHandle(LongAccumulator.class, "identity", long.class);
            final MethodHandles.Lookup doubles = MethodHandles.privateLookupIn(DoubleAccumulator.class, ours);
            doubleFunction = doubles.findVarHandle(DoubleAccumulator.class, "function", DoubleBinaryOperator.class);
            doubleIdentity = doubles.findVarHandle(DoubleAccumulator.class, "identity", long.class);
            final Class<?> striped = LongAccumulator.class.getSuperclass(); // java.util.concurrent.atomic.Striped64
            base = MethodHandles.privateLookupIn(striped, ours).findVarHandle(striped, "base", long.class);
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            unreadable = "an accumulator's function is private to java.util.concurrent.atomic, which is not open to " +
                "Virgo here (" + ex + "); the agent opens it";
        }
        LONG_FUNCTION = longFunction;
        LONG_IDENTITY = longIdentity;
        DOUBLE_FUNCTION = doubleFunction;
        DOUBLE_IDENTITY = doubleIdentity;
        BASE = base;
        UNREADABLE = unreadable;
    }

    private AccumulatorSerializers()
    {
    }

    static void register(final Kryo kryo)
    {
        kryo.addDefaultSerializer(LongAccumulator.class, new ExactJdkSerializer<LongAccumulator>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final LongAccumulator object)
            {
                checkReadable(object);
                output.writeVarLong((long)LONG_IDENTITY.get(object), false);
                output.writeVarLong(object.get(), false);
                writeFunction(kryo, output, LONG_FUNCTION.get(object));
            }

            @Override
            public LongAccumulator read(final Kryo kryo, final Input input, final Class<? extends LongAccumulator> type)
            {
                final long identity = input.readVarLong(false);
                final long value = input.readVarLong(false);
                final LongBinaryOperator function = input.readBoolean() ?
                    (LongBinaryOperator)kryo.readClassAndObject(input) : FunctionAtTheOrigin.INSTANCE;
                final LongAccumulator accumulator = new LongAccumulator(function, identity);
                set(accumulator, value);
                return accumulator;
            }
        });
        kryo.addDefaultSerializer(DoubleAccumulator.class, new ExactJdkSerializer<DoubleAccumulator>()
        {
            @Override
            void writeValue(final Kryo kryo, final Output output, final DoubleAccumulator object)
            {
                checkReadable(object);
                output.writeDouble(Double.longBitsToDouble((long)DOUBLE_IDENTITY.get(object)));
                output.writeDouble(object.get());
                writeFunction(kryo, output, DOUBLE_FUNCTION.get(object));
            }

            @Override
            public DoubleAccumulator read(
                final Kryo kryo, final Input input, final Class<? extends DoubleAccumulator> type)
            {
                final double identity = input.readDouble();
                final double value = input.readDouble();
                final DoubleBinaryOperator function = input.readBoolean() ?
                    (DoubleBinaryOperator)kryo.readClassAndObject(input) : FunctionAtTheOrigin.INSTANCE;
                final DoubleAccumulator accumulator = new DoubleAccumulator(function, identity);
                set(accumulator, value);
                return accumulator;
            }
        });
    }

    /**
     * Makes {@code accumulator} read {@code value}: its cells (if contention made any) back to its identity, then the
     * base to the value, the two volatile writes the JDK's own {@code reset} makes. Not atomic with a concurrent
     * {@code accumulate}: used on a node's stand-in, which only the merge writes, and on a new accumulator.
     */
    static void set(final LongAccumulator accumulator, final long value)
    {
        accumulator.reset();
        BASE.setVolatile(accumulator, value);
    }

    /** As {@link #set(LongAccumulator, long)}. */
    static void set(final DoubleAccumulator accumulator, final double value)
    {
        accumulator.reset();
        BASE.setVolatile(accumulator, Double.doubleToRawLongBits(value));
    }

    private static void checkReadable(final Object accumulator)
    {
        if (null != UNREADABLE)
        {
            throw new RefusedObjectException(accumulator.getClass(), UNREADABLE);
        }
    }

    /**
     * A lambda the JVM made without {@code writeReplace} (the origin's own) cannot travel; any other function does (a
     * node's lambdas are serializable, and a program's object is copied like any).
     */
    private static void writeFunction(final Kryo kryo, final Output output, final Object function)
    {
        final boolean travels = !(function instanceof FunctionAtTheOrigin) &&
            (function instanceof Serializable || !function.getClass().isSynthetic() && !function.getClass().isHidden());
        output.writeBoolean(travels);
        if (travels)
        {
            kryo.writeClassAndObject(output, function);
        }
    }

    /**
     * The function of a node's stand-in for an accumulator whose function stayed at the origin. The program's calls on
     * a shared accumulator are made at the origin, so this runs only for a call Virgo does not carry there.
     */
    static final class FunctionAtTheOrigin implements LongBinaryOperator, DoubleBinaryOperator
    {
        static final FunctionAtTheOrigin INSTANCE = new FunctionAtTheOrigin();

        private FunctionAtTheOrigin()
        {
        }

        @Override
        public long applyAsLong(final long left, final long right)
        {
            throw refused();
        }

        @Override
        public double applyAsDouble(final double left, final double right)
        {
            throw refused();
        }

        private static UnsupportedOperationException refused()
        {
            return new UnsupportedOperationException("this accumulator is shared with the origin, where its function " +
                "is: the program's calls on it are made there, and a call from JDK code or reflection on this node " +
                "cannot accumulate into its copy");
        }
    }
}
