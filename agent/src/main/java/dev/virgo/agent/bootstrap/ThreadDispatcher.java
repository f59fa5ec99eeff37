package dev.virgo.agent.bootstrap;

/**
 * The one class that code inlined into {@link Thread} calls. It lives in the bootstrap class loader (the only one
 * {@code java.lang.Thread} can see) and therefore uses nothing but the JDK; the real work is done by a
 * {@link Handler} that the agent installs from the system class loader.
 *
 * <p>Each method answers whether Virgo took the call: when it returns false (or null) the JDK's own method runs
 * unchanged, which is the case for every thread that was not moved.
 */
public final class ThreadDispatcher
{
    /** Implemented by the agent; every method must be cheap for threads that were not moved. */
    public interface Handler
    {
        /** @return true when the thread was moved (or refused) and the JDK's start must not run. */
        boolean start(Thread thread);

        /** @return true when the thread is a moved thread (so the other calls below apply to it). */
        boolean isMoved(Thread thread);

        boolean isAlive(Thread thread);

        /** Waits like {@link Thread#join(long)}; 0 waits for ever. */
        void join(Thread thread, long millis) throws InterruptedException;

        Thread.State getState(Thread thread);

        void interrupt(Thread thread);

        boolean isInterrupted(Thread thread);

        /** The processors the application's classes see (with {@code reportPooledCpus=true}: the pool's). */
        int availableProcessors();
    }

    private static volatile Handler handler;

    private ThreadDispatcher()
    {
    }

    public static void install(final Handler newHandler)
    {
        handler = newHandler;
    }

    public static boolean start(final Thread thread)
    {
        final Handler h = handler;
        return null != h && h.start(thread);
    }

    /** @return true when the join was done for a moved thread. */
    public static boolean join(final Thread thread, final long millis) throws InterruptedException
    {
        final Handler h = handler;
        if (null != h && h.isMoved(thread))
        {
            h.join(thread, millis);
            return true;
        }
        return false;
    }

    /** @return the remote state for a moved thread, or null to let the JDK answer. */
    public static Thread.State getState(final Thread thread)
    {
        final Handler h = handler;
        return null != h && h.isMoved(thread) ? h.getState(thread) : null;
    }

    /** @return {@link Boolean} for a moved thread, or null to let the JDK answer. */
    public static Boolean isAliveOrNull(final Thread thread)
    {
        final Handler h = handler;
        return null != h && h.isMoved(thread) ? h.isAlive(thread) : null;
    }

    /** Call-site replacement for {@link Thread#isAlive()}, which is native on JDK 17 and cannot take advice. */
    public static boolean isAlive(final Thread thread)
    {
        final Handler h = handler;
        return null != h && h.isMoved(thread) ? h.isAlive(thread) : thread.isAlive();
    }

    /** @return true when the interrupt was sent to a moved thread. */
    public static boolean interrupt(final Thread thread)
    {
        final Handler h = handler;
        if (null != h && h.isMoved(thread))
        {
            h.interrupt(thread);
            return true;
        }
        return false;
    }

    /**
     * Call-site replacement for {@link Runtime#availableProcessors()} in application classes, installed only with
     * {@code reportPooledCpus=true}; the method is native and cannot take advice.
     */
    public static int availableProcessors(final Runtime runtime)
    {
        final Handler h = handler;
        return null != h ? h.availableProcessors() : runtime.availableProcessors();
    }

    /** @return {@link Boolean} for a moved thread, or null to let the JDK answer. */
    public static Boolean isInterruptedOrNull(final Thread thread)
    {
        final Handler h = handler;
        return null != h && h.isMoved(thread) ? h.isInterrupted(thread) : null;
    }
}
