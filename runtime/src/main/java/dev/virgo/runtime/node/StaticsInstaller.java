package dev.virgo.runtime.node;

/**
 * Called from the static initializer that {@link ThreadClassLoader} gives each class whose static fields came
 * with the thread: instead of running the class's own initializer a second time (and repeating its side effects),
 * the class takes the values the origin had at {@code start()}. Public because application classes call it.
 */
public final class StaticsInstaller
{
    private StaticsInstaller()
    {
    }

    public static void install(final Class<?> type)
    {
        final ClassLoader loader = type.getClassLoader();
        if (loader instanceof ThreadClassLoader)
        {
            ((ThreadClassLoader)loader).onClassInitialized(type);
        }
    }
}
