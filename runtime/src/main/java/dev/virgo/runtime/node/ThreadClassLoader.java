package dev.virgo.runtime.node;

import dev.virgo.runtime.classes.ApplicationClasses;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The class loader of one moved thread on a node: its own image of the application's classes, defined from bytes
 * the origin sends, so the thread sees the static fields as they were at the origin at {@code start()} and no two
 * moved threads see each other's statics (the start/join contract gives them no way to).
 *
 * <p>Classes whose statics travelled with the thread are defined with their static initializer replaced by a call
 * to {@link StaticsInstaller} and with {@code final} removed from their static fields so the values can be set.
 * Every class it defines has its call sites that would show the node instead of the moved thread
 * ({@code Thread.currentThread()}, {@code System.exit}, ...) and its synchronization sites (monitors, wait/notify,
 * volatile fields) rewritten by {@link MovedCodeRewriter}; that work is done once per origin loader and kept in
 * {@link PreparedClasses}, which every image of that loader shares, so an image of its own costs a thread the
 * definition of its classes, not their rewriting. The JDK's classes and Virgo's come from the node's own loaders, unchanged.
 */
final class ThreadClassLoader extends ClassLoader
{
    static
    {
        registerAsParallelCapable();
    }

    private final PreparedClasses classes;
    private final ClassLoader virgoLoader;
    private final Map<String, String[]> staticFieldNames = new HashMap<>();
    private final Map<String, Object[]> staticValues = new HashMap<>();
    private final List<Class<?>> initialized = new ArrayList<>();
    private boolean valuesReady;

    /** An image with classes of its own, prepared from {@code source} for it alone. */
    ThreadClassLoader(final String name, final ClassSource source, final ClassLoader virgoLoader)
    {
        this(name, new PreparedClasses(source, virgoLoader), virgoLoader);
    }

    /** An image of classes {@code classes} prepared once for every image of the same origin loader. */
    ThreadClassLoader(final String name, final PreparedClasses classes, final ClassLoader virgoLoader)
    {
        super(name, ClassLoader.getPlatformClassLoader());
        this.classes = classes;
        this.virgoLoader = virgoLoader;
    }

    /** Declares the classes whose statics travel with the thread; must come before any of them loads. */
    synchronized void expectStatics(final String[] classNames, final String[][] fieldNames)
    {
        for (int i = 0; i < classNames.length; i++)
        {
            staticFieldNames.put(classNames[i], fieldNames[i]);
        }
    }

    /** The statics' values, read from the snapshot; classes already initialized take them now. */
    synchronized void staticsReady(final String[] classNames, final Object[][] values)
    {
        for (int i = 0; i < classNames.length; i++)
        {
            staticValues.put(classNames[i], values[i]);
        }
        valuesReady = true;
        for (final Class<?> type : initialized)
        {
            install(type);
        }
    }

    synchronized void onClassInitialized(final Class<?> type)
    {
        initialized.add(type);
        if (valuesReady)
        {
            install(type);
        }
    }

    /** Copies the current statics of the classes that were initialized back into their value arrays. */
    synchronized void collectStatics()
    {
        for (final Class<?> type : initialized)
        {
            final Object[] values = staticValues.get(type.getName());
            final String[] names = staticFieldNames.get(type.getName());
            for (int i = 0; i < names.length; i++)
            {
                try
                {
                    values[i] = field(type, names[i]).get(null);
                }
                catch (final ReflectiveOperationException ex)
                {
                    throw new IllegalStateException("cannot read static " + type.getName() + "." + names[i], ex);
                }
            }
        }
    }

    /** @return true when the statics of {@code className} travelled with the thread (and are shared with it). */
    synchronized boolean hasStatics(final String className)
    {
        return staticFieldNames.containsKey(className);
    }

    /** The statics' value arrays as they are now, to tell afterwards which elements an acquire changed. */
    synchronized Map<String, Object[]> staticValuesNow()
    {
        final Map<String, Object[]> now = new HashMap<>();
        for (final Map.Entry<String, Object[]> entry : staticValues.entrySet())
        {
            now.put(entry.getKey(), entry.getValue().clone());
        }
        return now;
    }

    /**
     * After an acquire wrote the origin's changes into the value arrays: the initialized classes take the statics that
     * changed, and only those, as another thread's stores would arrive; the thread's own writes to the others, made
     * meanwhile and not yet published, stay.
     */
    synchronized void installChangedStatics(final Map<String, Object[]> before)
    {
        for (final Class<?> type : initialized)
        {
            final Object[] was = before.get(type.getName());
            final Object[] values = staticValues.get(type.getName());
            final String[] names = staticFieldNames.get(type.getName());
            for (int i = 0; i < names.length; i++)
            {
                if (null != was && was[i] != values[i])
                {
                    try
                    {
                        field(type, names[i]).set(null, values[i]);
                    }
                    catch (final ReflectiveOperationException ex)
                    {
                        throw new IllegalStateException("cannot set static " + type.getName() + "." + names[i], ex);
                    }
                }
            }
        }
    }

    private void install(final Class<?> type)
    {
        final Object[] values = staticValues.get(type.getName());
        final String[] names = staticFieldNames.get(type.getName());
        for (int i = 0; i < names.length; i++)
        {
            try
            {
                field(type, names[i]).set(null, values[i]);
            }
            catch (final ReflectiveOperationException ex)
            {
                throw new IllegalStateException("cannot set static " + type.getName() + "." + names[i], ex);
            }
        }
    }

    private static Field field(final Class<?> type, final String name) throws NoSuchFieldException
    {
        final Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    @Override
    protected Class<?> loadClass(final String name, final boolean resolve) throws ClassNotFoundException
    {
        synchronized (getClassLoadingLock(name))
        {
            Class<?> type = findLoadedClass(name);
            if (null == type)
            {
                if (name.startsWith("java."))
                {
                    type = getParent().loadClass(name);
                }
                else if (ApplicationClasses.isVirgoClassName(name))
                {
                    type = virgoLoader.loadClass(name);
                }
                else if (ApplicationClasses.isVirgoOrJdkClassName(name))
                {
                    type = loadFromPlatformThenOrigin(name);
                }
                else
                {
                    type = findClass(name);
                }
            }
            if (resolve)
            {
                resolveClass(type);
            }
            return type;
        }
    }

    /** javax.*, jdk.*, sun.* names may be the JDK's or the application's own (javax.inject, say). */
    private Class<?> loadFromPlatformThenOrigin(final String name) throws ClassNotFoundException
    {
        try
        {
            return getParent().loadClass(name);
        }
        catch (final ClassNotFoundException ex)
        {
            return findClass(name);
        }
    }

    @Override
    protected Class<?> findClass(final String name) throws ClassNotFoundException
    {
        final boolean hasStatics;
        synchronized (this)
        {
            hasStatics = staticFieldNames.containsKey(name);
        }
        final byte[] bytes = hasStatics ? classes.withStaticsInstaller(name) : classes.bytesOf(name);
        return defineClass(name, bytes, 0, bytes.length);
    }
}
