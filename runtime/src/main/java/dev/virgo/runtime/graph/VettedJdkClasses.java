package dev.virgo.runtime.graph;

import java.lang.invoke.SerializedLambda;
import java.lang.invoke.VarHandle;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;

/**
 * The JDK classes a node may name in what it sends the origin although the origin did not write one to it: plain
 * values and containers, whose reading by Kryo runs no code of consequence (a no-arg constructor that only sets up
 * an empty container, a factory method, an enum constant lookup), and whose {@code hashCode}, {@code equals} and
 * {@code compareTo}, run when a map or set is read, depend only on their own state or on elements whose classes are
 * checked in turn. Anything else of the JDK ({@code java.util.Timer} starts a thread, {@code java.net.URL} resolves
 * its host in {@code hashCode}, {@code javax.script} runs code) is refused unless the origin itself wrote one to
 * that thread.
 */
final class VettedJdkClasses
{
    private static final Set<Class<?>> VALUES = Set.of(
        Object.class, // new Object() as a lock or a marker
        Boolean.class, Byte.class, Character.class, Short.class, Integer.class, Long.class, Float.class, Double.class,
        String.class, StringBuilder.class, StringBuffer.class, Number.class, Enum.class, Class.class,
        StackTraceElement.class, SerializedLambda.class,
        java.math.BigInteger.class, java.math.BigDecimal.class, java.math.MathContext.class,
        java.util.BitSet.class, java.util.UUID.class, java.util.Date.class, java.util.Locale.class,
        java.util.Currency.class, java.util.Optional.class, java.util.OptionalInt.class,
        java.util.OptionalLong.class, java.util.OptionalDouble.class, java.util.Random.class,
        java.util.SplittableRandom.class,
        java.util.concurrent.TimeUnit.class);

    /** The synchronizers Virgo's serializers rebuild (with their nested Sync classes). */
    private static final Set<String> SYNCHRONIZERS = Set.of(
        "java.util.concurrent.CountDownLatch", "java.util.concurrent.CyclicBarrier", "java.util.concurrent.Semaphore",
        "java.util.concurrent.Phaser", "java.util.concurrent.Exchanger");

    private VettedJdkClasses()
    {
    }

    /**
     * @param type a class of the JDK ({@link GraphTypes#isJdk}); an array is decided by its element class elsewhere.
     * @return null when a node may send one, else why not.
     */
    static String refusal(final Class<?> type)
    {
        if (type.isPrimitive() || VALUES.contains(type) || type.isEnum() ||
            (null != type.getSuperclass() && type.getSuperclass().isEnum()))
        {
            return null; // an enum is read as one of its existing constants
        }
        final String name = type.getName();
        final String packageName = type.getPackageName();
        if (packageName.equals("java.time") || packageName.startsWith("java.time."))
        {
            return null; // immutable values made by factory methods
        }
        if ((packageName.equals("java.util") || packageName.equals("java.util.concurrent")) &&
            (Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type)))
        {
            return null; // HashMap, ArrayList, Collections$*, ImmutableCollections$*, the concurrent ones...
        }
        if ((packageName.equals("java.util") || packageName.equals("java.lang")) &&
            Comparator.class.isAssignableFrom(type))
        {
            return null; // Collections.reverseOrder(), Comparator.naturalOrder(), String.CASE_INSENSITIVE_ORDER
        }
        if (packageName.equals("java.util.concurrent.atomic") || packageName.equals("java.util.concurrent.locks"))
        {
            return null; // atomics, adders, field updaters, ReentrantLock and friends: rebuilt by Virgo's serializers
        }
        final int nested = name.indexOf('$');
        if (SYNCHRONIZERS.contains(nested < 0 ? name : name.substring(0, nested)))
        {
            return null;
        }
        if (VarHandle.class.isAssignableFrom(type))
        {
            return null; // VarHandleSerializers looks the handle up again; nothing is instantiated
        }
        if (Throwable.class.isAssignableFrom(type))
        {
            return null; // the JDK's exceptions only record a message and a stack trace
        }
        return "a JDK class that is not a vetted value or container";
    }
}
