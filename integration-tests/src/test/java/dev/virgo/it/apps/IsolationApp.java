package dev.virgo.it.apps;

/**
 * Moved threads run on pooled carrier threads; nothing one leaves on its carrier reaches the next: the context class
 * loader, the interrupt status, the name, the priority, the uncaught-exception handler. (Thread locals cannot leak
 * through the application's own ThreadLocal objects, since each moved thread has its own image of the application's
 * classes; the node also clears the carrier's thread-local maps so nothing stays reachable.)
 * Run with {@code localNodes=1} so both threads run on one node, one after the other.
 */
public final class IsolationApp
{
    static final class Polluter implements Runnable
    {
        @Override
        public void run()
        {
            final Thread me = Thread.currentThread();
            me.setContextClassLoader(new ClassLoader(null) { });
            me.setPriority(Thread.MIN_PRIORITY);
            me.setUncaughtExceptionHandler((t, e) -> { });
            me.setName("renamed");
            me.interrupt();
        }
    }

    static final class Inspector implements Runnable
    {
        boolean contextLoaderIsOwn;
        boolean interrupted;
        String name;
        int priority;
        boolean defaultHandler;
        long ranIn;

        @Override
        public void run()
        {
            final Thread me = Thread.currentThread();
            contextLoaderIsOwn = me.getContextClassLoader() == Inspector.class.getClassLoader();
            interrupted = me.isInterrupted();
            name = me.getName();
            priority = me.getPriority();
            defaultHandler = me.getUncaughtExceptionHandler() == me.getThreadGroup();
            ranIn = Check.pid();
        }
    }

    public static void main(final String[] args) throws Exception
    {
        final Thread polluter = new Thread(new Polluter(), "polluter");
        polluter.start();
        polluter.join();
        final Inspector inspector = new Inspector();
        final Thread thread = new Thread(inspector, "inspector");
        thread.setPriority(Thread.NORM_PRIORITY + 1);
        thread.start();
        thread.join();
        Check.that("inspector-moved", inspector.ranIn != Check.pid(), inspector.ranIn);
        Check.that("context-loader-is-the-threads-own", inspector.contextLoaderIsOwn, "another loader");
        Check.that("no-interrupt-leak", !inspector.interrupted, inspector.interrupted);
        Check.that("own-name", "inspector".equals(inspector.name), inspector.name);
        Check.that("own-priority", inspector.priority == Thread.NORM_PRIORITY + 1, inspector.priority);
        Check.that("no-handler-leak", inspector.defaultHandler, "a handler left by the previous thread");
        System.out.println("DONE");
    }
}
