package dev.virgo.runtime.graph;

import dev.virgo.runtime.classes.CodeScan;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * How the graph code classifies classes: JDK or application, immutable value or mutable object, and which
 * fields take part in the merge. Field lists are cached in {@link ClassValue}s, which do not keep a class (or
 * its class loader) alive.
 */
final class GraphTypes
{
    private static final Set<Class<?>> VALUE_CLASSES = Set.of(
        String.class, Boolean.class, Character.class, Byte.class, Short.class, Integer.class, Long.class,
        Float.class, Double.class, BigInteger.class, BigDecimal.class, UUID.class, Locale.class, URI.class,
        Class.class);

    private static final Field[] NO_FIELDS = new Field[0];

    /**
     * Fields compared and written back on objects that existed at start(): instance fields declared by
     * application classes, not final (the thread cannot have changed a final field, and hidden classes and
     * records refuse writes to them anyway).
     */
    private static final ClassValue<Field[]> MERGED_FIELDS = new ClassValue<>()
    {
        @Override
        protected Field[] computeValue(final Class<?> type)
        {
            return applicationFields(type, false);
        }
    };

    /** Fields rewritten on objects the thread created: every application-declared instance field. */
    private static final ClassValue<Field[]> ADOPTED_FIELDS = new ClassValue<>()
    {
        @Override
        protected Field[] computeValue(final Class<?> type)
        {
            return applicationFields(type, true);
        }
    };

    private GraphTypes()
    {
    }

    /** Classes of the JDK itself: their private fields are neither ours to read nor ours to write. */
    static boolean isJdk(final Class<?> type)
    {
        final ClassLoader loader = type.getClassLoader();
        if (loader == null || loader == ClassLoader.getPlatformClassLoader())
        {
            return true;
        }
        final Module module = type.getModule();
        if (module.isNamed())
        {
            final String name = module.getName();
            return name.startsWith("java.") || name.startsWith("jdk.");
        }
        return false;
    }

    /** Immutable values: two of them are "the same" when equal, whatever their identity. */
    static boolean isValue(final Object value)
    {
        final Class<?> type = value.getClass();
        return VALUE_CLASSES.contains(type) || value instanceof Enum ||
            (type.getName().startsWith("java.time.") && isJdk(type));
    }

    /** Two values compare by content; floating point by raw bits, so a NaN payload or a -0.0 is a change. */
    static boolean valueEquals(final Object a, final Object b)
    {
        if (a.getClass() != b.getClass())
        {
            return false;
        }
        if (a instanceof Double)
        {
            return Double.doubleToRawLongBits((Double)a) == Double.doubleToRawLongBits((Double)b);
        }
        if (a instanceof Float)
        {
            return Float.floatToRawIntBits((Float)a) == Float.floatToRawIntBits((Float)b);
        }
        return a.equals(b);
    }

    /** Lambdas are hidden classes whose captured values are final fields: nothing to merge on them. */
    static boolean isHidden(final Class<?> type)
    {
        return CodeScan.isLambda(type);
    }

    static Field[] mergedFields(final Class<?> type)
    {
        return MERGED_FIELDS.get(type);
    }

    static Field[] adoptedFields(final Class<?> type)
    {
        return ADOPTED_FIELDS.get(type);
    }

    /** Instance fields declared by {@code type} and its superclasses up to (not including) {@code stop}. */
    static Field[] declaredInstanceFields(final Class<?> type, final Class<?> stop)
    {
        final ArrayList<Field> fields = new ArrayList<>();
        for (Class<?> c = type; c != null && c != stop; c = c.getSuperclass())
        {
            for (final Field field : c.getDeclaredFields())
            {
                if (!Modifier.isStatic(field.getModifiers()))
                {
                    field.setAccessible(true);
                    fields.add(field);
                }
            }
        }
        return fields.toArray(NO_FIELDS);
    }

    private static Field[] applicationFields(final Class<?> type, final boolean includeFinal)
    {
        if (type.isArray() || isHidden(type) || type.isRecord() && !includeFinal)
        {
            return NO_FIELDS;
        }
        final ArrayList<Field> fields = new ArrayList<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass())
        {
            if (isJdk(c))
            {
                continue; // JDK superclasses (Thread, Object, AbstractList...) are handled by type, never by field
            }
            for (final Field field : c.getDeclaredFields())
            {
                final int modifiers = field.getModifiers();
                if (Modifier.isStatic(modifiers) || (!includeFinal && Modifier.isFinal(modifiers)))
                {
                    continue;
                }
                field.setAccessible(true);
                fields.add(field);
            }
        }
        return fields.toArray(NO_FIELDS);
    }
}
