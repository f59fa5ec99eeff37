package dev.virgo.runtime.origin;

import dev.virgo.runtime.classes.ApplicationClasses;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.regex.Pattern;

/**
 * Decides which threads move: a {@code Thread} subclass or a {@code Runnable} class annotated
 * {@code @dev.virgo.api.Offload}, or whose name (or the class it is nested in, or that created the lambda) matches
 * an {@code offload=} pattern. The JDK's threads, Virgo's own, and thread-pool workers never move.
 *
 * <p>Decisions are cached per class, so a start of a thread that does not move costs a class-value lookup.
 */
public final class ThreadSelector
{
    private static final String OFFLOAD_ANNOTATION = "dev.virgo.api.Offload";

    private final Pattern patterns;
    private final MethodHandle targetOf;
    private final ClassValue<Boolean> chosen = new ClassValue<>()
    {
        @Override
        protected Boolean computeValue(final Class<?> type)
        {
            return decide(type);
        }
    };
    private final ClassValue<Boolean> overridesRun = new ClassValue<>()
    {
        @Override
        protected Boolean computeValue(final Class<?> type)
        {
            try
            {
                return type.getMethod("run").getDeclaringClass() != Thread.class;
            }
            catch (final NoSuchMethodException ex)
            {
                return false;
            }
        }
    };

    public ThreadSelector(final List<String> offloadPatterns)
    {
        this.patterns = ApplicationClasses.globs(offloadPatterns);
        this.targetOf = runnableTargetAccessor();
    }

    /** @return true when classes with this name were chosen by configuration (used to prepare their lambdas). */
    public boolean isChosenByName(final String className)
    {
        return patterns.matcher(className).matches() ||
            patterns.matcher(ApplicationClasses.owningClassName(className)).matches();
    }

    /**
     * @return the object whose graph moves with the thread: the thread itself for a chosen {@code Thread} subclass
     * that overrides {@code run()}, its {@code Runnable} target when that is chosen, or null when it stays here.
     */
    public Object rootToMove(final Thread thread)
    {
        final Class<?> threadClass = thread.getClass();
        if (thread instanceof ForkJoinWorkerThread || !isPlatformThread(thread))
        {
            return null;
        }
        if (threadClass != Thread.class && overridesRun.get(threadClass))
        {
            return chosen.get(threadClass) ? thread : null;
        }
        final Runnable target = targetOf(thread);
        if (null != target && chosen.get(target.getClass()))
        {
            return target;
        }
        return threadClass != Thread.class && chosen.get(threadClass) && null != target ? thread : null;
    }

    private boolean decide(final Class<?> type)
    {
        if (!ApplicationClasses.isApplicationLoader(type.getClassLoader()) ||
            ApplicationClasses.isVirgoOrJdkClassName(ApplicationClasses.owningClassName(type.getName())))
        {
            return false;
        }
        for (Class<?> c = type; null != c && c != Object.class && c != Thread.class; c = c.getSuperclass())
        {
            for (final java.lang.annotation.Annotation annotation : c.getDeclaredAnnotations())
            {
                if (OFFLOAD_ANNOTATION.equals(annotation.annotationType().getName()))
                {
                    return true;
                }
            }
        }
        return isChosenByName(type.getName());
    }

    /** @return the {@code Runnable} the thread was constructed with, or null. */
    Runnable targetOf(final Thread thread)
    {
        try
        {
            return (Runnable)targetOf.invoke(thread);
        }
        catch (final Throwable ex)
        {
            return null;
        }
    }

    private static boolean isPlatformThread(final Thread thread)
    {
        return !thread.getClass().getName().equals("java.lang.VirtualThread");
    }

    /**
     * The Runnable a {@code Thread} was constructed with: field {@code target} up to JDK 20, {@code holder.task}
     * from JDK 21. The agent opens {@code java.lang} to Virgo for this.
     */
    private static MethodHandle runnableTargetAccessor()
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            try
            {
                final Field target = Thread.class.getDeclaredField("target");
                target.setAccessible(true);
                return lookup.unreflectGetter(target).asType(
                    java.lang.invoke.MethodType.methodType(Object.class, Thread.class));
            }
            catch (final NoSuchFieldException ex)
            {
                final Field holder = Thread.class.getDeclaredField("holder");
                holder.setAccessible(true);
                final Field task = holder.getType().getDeclaredField("task");
                task.setAccessible(true);
                final MethodHandle getHolder = lookup.unreflectGetter(holder);
                final MethodHandle getTask = lookup.unreflectGetter(task);
                return MethodHandles.filterReturnValue(getHolder, getTask).asType(
                    java.lang.invoke.MethodType.methodType(Object.class, Thread.class));
            }
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            throw new IllegalStateException("cannot read the Runnable of a Thread on " +
                Runtime.version() + " (is java.lang opened to Virgo?): " + ex, ex);
        }
    }
}
