package dev.virgo.runtime.graph;

import java.lang.reflect.Field;

/**
 * Reflective access to {@link Thread}'s own fields, which differ between JDKs: the Runnable is the field
 * {@code target} up to JDK 20 and {@code holder.task} from JDK 21. java.lang is opened to the agent
 * ({@code --add-opens java.base/java.lang=ALL-UNNAMED} in tests).
 */
final class ThreadFields
{
    private static final Field TARGET;
    private static final Field HOLDER;
    private static final Field HOLDER_TASK;
    private static final Field[] THREAD_FIELDS;
    private static final String PROBLEM;

    static
    {
        Field target = null;
        Field holder = null;
        Field holderTask = null;
        Field[] threadFields = null;
        String problem = null;
        try
        {
            threadFields = GraphTypes.declaredInstanceFields(Thread.class, Object.class);
            for (final Field field : threadFields)
            {
                if (field.getName().equals("target"))
                {
                    target = field;
                }
                else if (field.getName().equals("holder"))
                {
                    holder = field;
                    for (final Field inner : field.getType().getDeclaredFields())
                    {
                        if (inner.getName().equals("task"))
                        {
                            inner.setAccessible(true);
                            holderTask = inner;
                        }
                    }
                }
            }
            if (target == null && holderTask == null)
            {
                problem = "java.lang.Thread on Java " + Runtime.version() + " has neither 'target' nor 'holder.task'";
            }
        }
        catch (final RuntimeException ex)
        {
            problem = "java.lang is not open to Virgo (" + ex.getMessage() + ")";
        }
        TARGET = target;
        HOLDER = holder;
        HOLDER_TASK = holderTask;
        THREAD_FIELDS = threadFields;
        PROBLEM = problem;
    }

    private ThreadFields()
    {
    }

    /** The Runnable a plain {@code new Thread(runnable)} would run, or null. */
    static Runnable target(final Thread thread)
    {
        check(thread.getClass());
        try
        {
            if (TARGET != null)
            {
                return (Runnable)TARGET.get(thread);
            }
            final Object holder = HOLDER.get(thread);
            return holder == null ? null : (Runnable)HOLDER_TASK.get(holder);
        }
        catch (final IllegalAccessException ex)
        {
            throw new RefusedObjectException(thread.getClass(), "cannot read the thread's Runnable: " + ex.getMessage());
        }
    }

    /**
     * Turns an instance allocated without a constructor into a valid unstarted thread: every field declared by
     * java.lang.Thread is copied from a template built by the public constructor. The template is never started,
     * so sharing its internal objects (holder, locks) with the copy is safe.
     */
    static void initializeUnstarted(final Thread blank, final Runnable target, final String name)
    {
        check(blank.getClass());
        final Thread template = new Thread(target, name);
        try
        {
            for (final Field field : THREAD_FIELDS)
            {
                field.set(blank, field.get(template));
            }
        }
        catch (final IllegalAccessException ex)
        {
            throw new RefusedObjectException(blank.getClass(), "cannot initialise java.lang.Thread fields: " + ex.getMessage());
        }
    }

    private static void check(final Class<?> type)
    {
        if (PROBLEM != null)
        {
            throw new RefusedObjectException(type, PROBLEM);
        }
    }
}
