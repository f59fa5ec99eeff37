package dev.virgo.runtime.node;

import dev.virgo.api.VirgoException;
import dev.virgo.runtime.sharing.SyncSites;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Where the call sites {@link MovedCodeRewriter} rewrites in the application's classes on a node lead. Public because
 * those classes, defined by a {@link ThreadClassLoader}, call it.
 *
 * <p>{@code Thread.currentThread()} answers the moved thread's identity (see {@link ThreadRunner}). A call on a
 * {@code Thread} is first asked whether its receiver is the identity of a moved thread running here; when it is not
 * (a thread the moved code started on the node, a moved thread that has ended) the call is the JDK's own, unchanged.
 * When it is, what describes the running thread comes from its carrier: the interrupt status ({@code isInterrupted},
 * {@code interrupt}), {@code isAlive} (true), {@code getState}, {@code join} (until {@code run()} ends here),
 * {@code getStackTrace} (the carrier's, without Virgo's frames) and {@code LockSupport.unpark}. When the receiver is
 * another thread a shared graph reaches (a master thread at the origin, a sibling moved thread), its interrupt status,
 * {@code interrupt}, {@code isAlive}, {@code getState} and {@code join} are the real thread's, asked at the origin
 * ({@code SyncSites#callAtOrigin}; a join is an acquire there). {@code setName},
 * {@code setPriority} and {@code setContextClassLoader} change the identity and the carrier alike (so the JDK's code
 * and thread dumps agree), and {@code setDaemon} throws as it does on a started thread. A subclass that overrides
 * {@code isInterrupted}, {@code interrupt}, {@code getState}, {@code getStackTrace} or {@code setContextClassLoader}
 * keeps its override: the call goes to it, and its {@code super} call, rewritten too, reaches the carrier.
 *
 * <p>{@code System.exit}, {@code Runtime.exit} and {@code Runtime.halt} end the program at the origin, and
 * {@code System.setProperties} replaces the moved thread's own view of the system properties, never the node's.
 */
public final class MovedThreadCalls
{
    private static final int IS_INTERRUPTED = 1;
    private static final int INTERRUPT = 1 << 1;
    private static final int GET_STATE = 1 << 2;
    private static final int GET_STACK_TRACE = 1 << 3;
    private static final int SET_CONTEXT_CLASS_LOADER = 1 << 4;
    private static final int START = 1 << 5;

    /** Which of the overridable methods a {@code Thread} subclass overrides, as a mask of the bits above. */
    private static final ClassValue<Integer> OVERRIDDEN = new ClassValue<>()
    {
        @Override
        protected Integer computeValue(final Class<?> type)
        {
            return overridden(type, "isInterrupted", IS_INTERRUPTED) |
                overridden(type, "interrupt", INTERRUPT) |
                overridden(type, "getState", GET_STATE) |
                overridden(type, "getStackTrace", GET_STACK_TRACE) |
                overridden(type, "setContextClassLoader", SET_CONTEXT_CLASS_LOADER, ClassLoader.class) |
                overridden(type, "start", START);
        }
    };

    private MovedThreadCalls()
    {
    }

    /** {@code Thread.currentThread()}. */
    public static Thread currentThread()
    {
        final Thread identity = ThreadRunner.identityOfCurrentCarrier();
        return null != identity ? identity : Thread.currentThread();
    }

    /** {@code thread.start()}. */
    public static void start(final Thread thread)
    {
        if (overrides(thread, START))
        {
            thread.start();
        }
        else
        {
            superStart(thread);
        }
    }

    /**
     * {@code super.start()} in a subclass, reaching {@code Thread}'s own. A thread a shared graph reaches (a sibling the
     * program created and this moved thread starts) is started by the origin, as the program's: there it is moved, or
     * runs, as any thread the program starts; the node's stand-in then answers for it through the origin.
     */
    public static void superStart(final Thread thread)
    {
        if (SyncSites.sharedWithOrigin(thread))
        {
            atOrigin(thread, "start", "()V");
        }
        else
        {
            Special.invoke(Special.START, thread);
        }
    }

    /** {@code thread.isInterrupted()}. */
    public static boolean isInterrupted(final Thread thread)
    {
        return overrides(thread, IS_INTERRUPTED) ? thread.isInterrupted() : superIsInterrupted(thread);
    }

    /** {@code super.isInterrupted()} in a subclass, reaching {@code Thread}'s own. */
    public static boolean superIsInterrupted(final Thread thread)
    {
        final Thread carrier = carrierOf(thread);
        if (null == carrier)
        {
            return SyncSites.sharedWithOrigin(thread) ? (boolean)atOrigin(thread, "isInterrupted", "()Z") :
                (boolean)Special.invoke(Special.IS_INTERRUPTED, thread);
        }
        return carrier.isInterrupted();
    }

    /** {@code thread.interrupt()}. */
    public static void interrupt(final Thread thread)
    {
        if (overrides(thread, INTERRUPT))
        {
            thread.interrupt();
        }
        else
        {
            superInterrupt(thread);
        }
    }

    /** {@code super.interrupt()} in a subclass, reaching {@code Thread}'s own. */
    public static void superInterrupt(final Thread thread)
    {
        final ThreadRunner runner = ThreadRunner.runningAs(thread);
        if (null == runner && SyncSites.sharedWithOrigin(thread))
        {
            atOrigin(thread, "interrupt", "()V");
        }
        else if (null == runner)
        {
            Special.invoke(Special.INTERRUPT, thread);
        }
        else
        {
            runner.interrupt();
        }
    }

    /** {@code thread.isAlive()}: a moved thread is alive until its {@code run()} has returned here. */
    public static boolean isAlive(final Thread thread)
    {
        if (null != ThreadRunner.runningAs(thread))
        {
            return true;
        }
        return SyncSites.sharedWithOrigin(thread) ? (boolean)atOrigin(thread, "isAlive", "()Z") : thread.isAlive();
    }

    /** {@code thread.getState()}. */
    public static Thread.State getState(final Thread thread)
    {
        return overrides(thread, GET_STATE) ? thread.getState() : superGetState(thread);
    }

    /** {@code super.getState()} in a subclass, reaching {@code Thread}'s own. */
    public static Thread.State superGetState(final Thread thread)
    {
        final ThreadRunner runner = ThreadRunner.runningAs(thread);
        if (null == runner)
        {
            return SyncSites.sharedWithOrigin(thread) ?
                (Thread.State)atOrigin(thread, "getState", "()Ljava/lang/Thread$State;") :
                (Thread.State)Special.invoke(Special.GET_STATE, thread);
        }
        return runner.state();
    }

    /** {@code thread.join()}. */
    public static void join(final Thread thread) throws InterruptedException
    {
        join(thread, 0);
    }

    /** {@code thread.join(millis)}. */
    public static void join(final Thread thread, final long millis) throws InterruptedException
    {
        if (millis < 0)
        {
            throw new IllegalArgumentException("timeout value is negative");
        }
        final ThreadRunner runner = ThreadRunner.runningAs(thread);
        if (null == runner && SyncSites.sharedWithOrigin(thread))
        {
            joinAtOrigin(thread, "(J)V", millis);
        }
        else if (null == runner)
        {
            thread.join(millis);
        }
        else
        {
            runner.awaitEnd(millis, TimeUnit.MILLISECONDS);
        }
    }

    /** {@code thread.join(millis, nanos)}. */
    public static void join(final Thread thread, final long millis, final int nanos) throws InterruptedException
    {
        if (millis < 0)
        {
            throw new IllegalArgumentException("timeout value is negative");
        }
        if (nanos < 0 || nanos > 999_999)
        {
            throw new IllegalArgumentException("nanosecond timeout value out of range");
        }
        final ThreadRunner runner = ThreadRunner.runningAs(thread);
        if (null == runner && SyncSites.sharedWithOrigin(thread))
        {
            joinAtOrigin(thread, "(JI)V", millis, nanos);
        }
        else if (null == runner)
        {
            thread.join(millis, nanos);
        }
        else if (millis == 0 && nanos == 0)
        {
            runner.awaitEnd(0, TimeUnit.NANOSECONDS);
        }
        else
        {
            runner.awaitEnd(TimeUnit.MILLISECONDS.toNanos(millis) + nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** {@code thread.join(duration)} (JDK 19 and later): true when the thread has ended. */
    public static boolean join(final Thread thread, final Duration duration) throws InterruptedException
    {
        final ThreadRunner runner = ThreadRunner.runningAs(thread);
        if (null == runner && SyncSites.sharedWithOrigin(thread))
        {
            final long nanos = Math.max(0, duration.toNanos());
            if (nanos > 0)
            {
                joinAtOrigin(thread, "(JI)V", nanos / 1_000_000, (int)(nanos % 1_000_000));
            }
            return !isAlive(thread);
        }
        if (null == runner)
        {
            try
            {
                return (boolean)Special.JOIN_DURATION.invokeExact(thread, duration);
            }
            catch (final InterruptedException | RuntimeException | Error ex)
            {
                throw ex;
            }
            catch (final Throwable ex)
            {
                throw new IllegalStateException(ex);
            }
        }
        final long nanos = Math.max(0, duration.toNanos());
        return nanos == 0 ? !isAlive(thread) : runner.awaitEnd(nanos, TimeUnit.NANOSECONDS);
    }

    /** {@code thread.getStackTrace()}. */
    public static StackTraceElement[] getStackTrace(final Thread thread)
    {
        return overrides(thread, GET_STACK_TRACE) ? thread.getStackTrace() : superGetStackTrace(thread);
    }

    /**
     * {@code super.getStackTrace()} in a subclass: the carrier's frames, without this class's and without the
     * frames below the moved {@code run()} (the carrier's pool and Virgo's runner), so {@code getStackTrace()[1]} is
     * the caller as it is at the origin.
     */
    public static StackTraceElement[] superGetStackTrace(final Thread thread)
    {
        final Thread carrier = carrierOf(thread);
        if (null == carrier)
        {
            return (StackTraceElement[])Special.invoke(Special.GET_STACK_TRACE, thread);
        }
        final StackTraceElement[] frames = carrier.getStackTrace();
        int end = frames.length;
        for (int i = frames.length - 1; i >= 0; i--)
        {
            if (ThreadRunner.class.getName().equals(frames[i].getClassName()) &&
                "run".equals(frames[i].getMethodName()))
            {
                end = i;
                break;
            }
        }
        final List<StackTraceElement> kept = new ArrayList<>(end);
        for (int i = 0; i < end; i++)
        {
            if (!MovedThreadCalls.class.getName().equals(frames[i].getClassName()))
            {
                kept.add(frames[i]);
            }
        }
        return kept.toArray(new StackTraceElement[0]);
    }

    /**
     * A question about a thread a shared graph reaches, answered by the real one at the origin: a master thread the
     * program runs there, a sibling moved thread running on another node (or on this one, with its own image).
     */
    private static Object atOrigin(final Thread thread, final String name, final String descriptor, final Object... args)
    {
        try
        {
            return SyncSites.callAtOrigin(thread, "java/lang/Thread", name, descriptor, args);
        }
        catch (final RuntimeException | Error ex)
        {
            throw ex;
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException("Thread." + name + " at the origin threw " + ex, ex);
        }
    }

    /** A join of a shared thread, at the origin: the thread's end there, after its writes came home. */
    private static void joinAtOrigin(final Thread thread, final String descriptor, final Object... args)
        throws InterruptedException
    {
        try
        {
            SyncSites.callAtOrigin(thread, "java/lang/Thread", "join", descriptor, args);
        }
        catch (final InterruptedException | RuntimeException | Error ex)
        {
            throw ex;
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException("Thread.join at the origin threw " + ex, ex);
        }
    }

    /** {@code thread.setName(name)}: the carrier too, so thread dumps on the node name the moved thread. */
    public static void setName(final Thread thread, final String name)
    {
        thread.setName(name);
        final Thread carrier = carrierOf(thread);
        if (null != carrier)
        {
            carrier.setName(name);
        }
    }

    /** {@code thread.setPriority(priority)}: the carrier too, where the priority means something. */
    public static void setPriority(final Thread thread, final int priority)
    {
        thread.setPriority(priority);
        final Thread carrier = carrierOf(thread);
        if (null != carrier)
        {
            carrier.setPriority(thread.getPriority());
        }
    }

    /** {@code thread.setDaemon(on)}: refused while the moved thread runs, as it is for any started thread. */
    public static void setDaemon(final Thread thread, final boolean on)
    {
        if (null != ThreadRunner.runningAs(thread))
        {
            throw new IllegalThreadStateException();
        }
        thread.setDaemon(on);
    }

    /** {@code thread.setContextClassLoader(loader)}. */
    public static void setContextClassLoader(final Thread thread, final ClassLoader loader)
    {
        if (overrides(thread, SET_CONTEXT_CLASS_LOADER))
        {
            thread.setContextClassLoader(loader);
        }
        else
        {
            superSetContextClassLoader(thread, loader);
        }
    }

    /** {@code super.setContextClassLoader(loader)}: the carrier's too, which is the one the JDK's code reads. */
    public static void superSetContextClassLoader(final Thread thread, final ClassLoader loader)
    {
        Special.invoke(Special.SET_CONTEXT_CLASS_LOADER, thread, loader);
        final Thread carrier = carrierOf(thread);
        if (null != carrier)
        {
            carrier.setContextClassLoader(loader);
        }
    }

    /** {@code LockSupport.unpark(thread)}: a moved thread parks on its carrier. */
    public static void unpark(final Thread thread)
    {
        final Thread carrier = carrierOf(thread);
        LockSupport.unpark(null != carrier ? carrier : thread);
    }

    /** {@code System.exit(status)}. */
    public static void exit(final int status)
    {
        program("System.exit").exitProgram(status, false);
    }

    /** {@code Runtime.getRuntime().exit(status)}. */
    public static void runtimeExit(final Runtime runtime, final int status)
    {
        program("Runtime.exit").exitProgram(status, false);
    }

    /** {@code Runtime.getRuntime().halt(status)}. */
    public static void runtimeHalt(final Runtime runtime, final int status)
    {
        program("Runtime.halt").exitProgram(status, true);
    }

    /** {@code System.setProperties(properties)}: this moved thread's view only; null goes back to its start. */
    public static void setProperties(final Properties properties)
    {
        final PropertiesView view = RoutedProperties.boundView();
        if (null == view)
        {
            throw new VirgoException("System.setProperties on a node outside a moved thread would change the " +
                "properties of every origin's threads; refused");
        }
        view.replace(properties);
    }

    private static ThreadRunner program(final String call)
    {
        final ThreadRunner program = ThreadRunner.programOfCurrentThread();
        if (null == program)
        {
            // Application code on a thread no moved thread started: ending this JVM would end every origin's threads.
            throw new VirgoException(call + " on a node outside a moved thread: refused, the node keeps running");
        }
        return program;
    }

    private static Thread carrierOf(final Thread thread)
    {
        final ThreadRunner runner = ThreadRunner.runningAs(thread);
        return null != runner ? runner.carrier() : null;
    }

    private static boolean overrides(final Thread thread, final int method)
    {
        return thread.getClass() != Thread.class && (OVERRIDDEN.get(thread.getClass()) & method) != 0;
    }

    private static int overridden(final Class<?> type, final String name, final int bit, final Class<?>... parameters)
    {
        try
        {
            return type.getMethod(name, parameters).getDeclaringClass() != Thread.class ? bit : 0;
        }
        catch (final NoSuchMethodException ex)
        {
            return 0;
        }
    }

    /**
     * {@code Thread}'s own implementations, called without virtual dispatch: what a rewritten {@code super} call does
     * when its receiver is not a running moved thread. java.lang is opened to Virgo on nodes.
     */
    private static final class Special
    {
        static final MethodHandle IS_INTERRUPTED = special("isInterrupted", MethodType.methodType(boolean.class));
        static final MethodHandle INTERRUPT = special("interrupt", MethodType.methodType(void.class));
        static final MethodHandle START = special("start", MethodType.methodType(void.class));
        static final MethodHandle GET_STATE = special("getState", MethodType.methodType(Thread.State.class));
        static final MethodHandle GET_STACK_TRACE =
            special("getStackTrace", MethodType.methodType(StackTraceElement[].class));
        static final MethodHandle SET_CONTEXT_CLASS_LOADER =
            special("setContextClassLoader", MethodType.methodType(void.class, ClassLoader.class));
        /** {@code Thread.join(Duration)} exists from JDK 19. */
        static final MethodHandle JOIN_DURATION = joinDuration();

        static Object invoke(final MethodHandle handle, final Object... arguments)
        {
            try
            {
                return handle.invokeWithArguments(arguments);
            }
            catch (final RuntimeException | Error ex)
            {
                throw ex;
            }
            catch (final Throwable ex)
            {
                throw new IllegalStateException(ex);
            }
        }

        private static MethodHandle special(final String name, final MethodType type)
        {
            try
            {
                return MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup())
                    .findSpecial(Thread.class, name, type, Thread.class);
            }
            catch (final ReflectiveOperationException | RuntimeException ex)
            {
                throw new IllegalStateException("node needs java.lang opened to call Thread." + name + ": " + ex, ex);
            }
        }

        private static MethodHandle joinDuration()
        {
            try
            {
                return MethodHandles.publicLookup()
                    .findVirtual(Thread.class, "join", MethodType.methodType(boolean.class, Duration.class));
            }
            catch (final ReflectiveOperationException ex)
            {
                return MethodHandles.dropArguments(
                    MethodHandles.throwException(boolean.class, UnsupportedOperationException.class)
                        .bindTo(new UnsupportedOperationException("Thread.join(Duration) needs JDK 19")),
                    0, Thread.class, Duration.class);
            }
        }
    }
}
