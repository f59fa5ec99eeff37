package dev.virgo.runtime.node;

import dev.virgo.api.heap.SharedHeap;
import dev.virgo.api.heap.SharedMemory;
import dev.virgo.api.heap.SharedMemoryException;
import dev.virgo.api.VirgoException;
import dev.virgo.runtime.classes.ThreadRoots;
import dev.virgo.runtime.graph.GraphCodec;
import dev.virgo.runtime.graph.Image;
import dev.virgo.runtime.log.VirgoLog;
import dev.virgo.runtime.sharing.SyncSites;

import java.lang.reflect.Field;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs one moved thread on a pooled carrier thread: its class loader (its own image of the origin's classes when it
 * carries static fields, else the image its origin's threads share), its name and priority, its output routed
 * to the origin; then sends back the final state and whatever escaped {@code run()}, and leaves the carrier as it
 * found it (name, priority, context class loader, interrupt status, uncaught-exception handler, thread locals) for the next thread.
 *
 * <h2>The thread object the moved code sees</h2>
 * Carriers are pooled (starting a platform thread per move would cost more than the move), so the carrier is not the
 * moved thread's {@link Thread} object. The object the code sees instead, its <em>identity</em>, is the copy of the
 * origin's {@code Thread} subclass that travelled in the snapshot, or, for a {@code Runnable}, a stand-in
 * {@code Thread} built here around it (never started); either carries the origin's name, thread id, priority, daemon
 * flag and context class loader, and an uncaught-exception handler that reaches the origin's when the origin's thread
 * has one of its own. The classes {@link ThreadClassLoader} defines (the application's, never the JDK's or Virgo's, so
 * the node itself pays nothing) have their call sites rewritten by {@link MovedCodeRewriter} so that
 * {@code Thread.currentThread()} answers the identity, and the calls on the identity that must describe the running
 * thread ({@code isInterrupted}, {@code interrupt}, {@code isAlive}, {@code getState}, {@code join},
 * {@code getStackTrace}, {@code LockSupport.unpark}) act on the carrier; see {@link MovedThreadCalls}. Their
 * synchronization sites (monitors, {@code synchronized} methods, {@code wait}/{@code notify}, {@code volatile} fields)
 * lead to {@link dev.virgo.runtime.sharing.SyncSites}, which keeps their local meaning unless the thread is bound to a
 * context that shares objects with the origin. Thread locals live in the carrier's maps, which the JDK's
 * {@code ThreadLocal} finds through its own (unrewritten) {@code currentThread()}, and which {@link #reset} clears.
 *
 * <p>Each runner is bound to its carrier three ways: the running identity ({@link #RUNNING}, not inherited), and the
 * moved program the thread belongs to ({@link #PROGRAM}, with its {@link PropertiesView}), inherited by the threads it
 * starts on the node so that their system properties and {@code System.exit} are the moved thread's too.
 */
final class ThreadRunner implements Runnable
{
    private static final Field THREAD_LOCALS = threadField("threadLocals");
    private static final Field INHERITABLE_THREAD_LOCALS = threadField("inheritableThreadLocals");
    /** The origin's thread id becomes the identity's: {@code getId()} and {@code threadId()} are final. */
    private static final Field THREAD_ID = threadField("tid");
    private static final byte[] NO_STATE = new byte[0];
    /** The runner whose identity this carrier is running now; what {@code Thread.currentThread()} answers. */
    private static final ThreadLocal<ThreadRunner> RUNNING = new ThreadLocal<>();
    /** The moved thread this thread belongs to: the carrier, and the threads it starts on the node. */
    private static final InheritableThreadLocal<ThreadRunner> PROGRAM = new InheritableThreadLocal<>();
    /**
     * The moved threads running on this node, by identity: a thread the moved code started on the node may hold its
     * parent's identity and {@code join} or {@code unpark} it. Looked up by identity, never {@code equals}, which a
     * {@code Thread} subclass may override.
     */
    private static final Map<Thread, ThreadRunner> RUNNING_BY_IDENTITY = new IdentityHashMap<>();

    private final OriginSession session;
    private final GraphCodec codec;
    private final long threadId;
    private final String name;
    private final boolean daemon;
    private final int priority;
    private final boolean ownHandler;
    private final PropertiesView properties;
    private final CountDownLatch ended = new CountDownLatch(1);
    private byte[] payload;
    private volatile Thread carrier;
    private volatile Thread identity;
    private volatile boolean interruptRequested;
    /** Class requests to the origin the carrier is waiting on (written by the carrier only); see {@link #state()}. */
    private volatile int classRequests;

    ThreadRunner(
        final OriginSession session,
        final GraphCodec codec,
        final long threadId,
        final String name,
        final boolean daemon,
        final int priority,
        final boolean ownHandler,
        final PropertiesView properties,
        final byte[] payload)
    {
        this.session = session;
        this.codec = codec;
        this.threadId = threadId;
        this.name = name;
        this.daemon = daemon;
        this.priority = priority;
        this.ownHandler = ownHandler;
        this.properties = properties;
        this.payload = payload;
    }

    /**
     * The session whose thread runs on this carrier (inherited by threads it starts), so that
     * {@link SharedHeap#memory()} on a node is the heap of the thread's own origin.
     */
    private static final InheritableThreadLocal<OriginSession> SESSION = new InheritableThreadLocal<>();

    /** {@link SharedHeap#memory()} on a node. */
    static SharedMemory sharedMemoryOfCurrentThread()
    {
        final OriginSession session = SESSION.get();
        if (null == session)
        {
            throw new SharedMemoryException("SharedHeap.memory() on a node outside a thread moved there: " +
                "the heap is the origin's, reached from its threads");
        }
        return session.heapMemory();
    }

    @Override
    public void run()
    {
        final Thread current = Thread.currentThread();
        SESSION.set(session);
        PROGRAM.set(this);
        RoutedProperties.bind(properties);
        final String carrierName = current.getName();
        current.setName(name);
        current.setPriority(priority);
        RemoteOutput.attach((stream, bytes, length) -> session.sendOutput(threadId, stream, bytes, length));

        Image image = null;
        ThreadClassLoader ownImage = null;
        MovedThreadSync sync = null;
        Throwable failure = null;
        try
        {
            final ThreadRoots.Payload start = ThreadRoots.decodePayload(payload);
            payload = null;
            final ThreadClassLoader loader;
            final GraphCodec imageCodec;
            if (start.classNames.length > 0)
            {
                // Statics as of start() are this thread's own: its own image of the origin's classes.
                ownImage = new ThreadClassLoader(
                    "virgo-thread-" + threadId, session.preparedClasses(start.loaderId),
                    ThreadRunner.class.getClassLoader());
                ownImage.expectStatics(start.classNames, start.fieldNames);
                loader = ownImage;
                imageCodec = codec;
            }
            else
            {
                final OriginSession.SharedImage shared = session.sharedImage(start.loaderId);
                loader = shared.loader;
                imageCodec = shared.codec;
            }
            current.setContextClassLoader(loader);
            image = imageCodec.read(start.snapshot, loader);
            final Object[] roots = image.roots();
            if (null != ownImage)
            {
                ownImage.staticsReady(start.classNames, ThreadRoots.staticValues(roots));
            }
            final Object runnable = ThreadRoots.runnable(roots);
            final Thread self = identityOf(runnable);
            // Only now is the thread the application's: before, the carrier waits on class bytes from the origin,
            // and its state or an interrupt would be Virgo's, not the thread's.
            identity = self;
            carrier = current;
            RUNNING.set(this);
            sync = new MovedThreadSync(session.syncs(), threadId, name, image, ownImage, current);
            SyncSites.bind(sync);
            Refresher.register(sync);
            synchronized (RUNNING_BY_IDENTITY)
            {
                RUNNING_BY_IDENTITY.put(self, this);
            }
            try
            {
                if (interruptRequested)
                {
                    current.interrupt();
                }
                if (runnable instanceof Thread)
                {
                    ((Thread)runnable).run();
                }
                else
                {
                    ((Runnable)runnable).run();
                }
            }
            catch (final Throwable ex)
            {
                if (!handledOnNode(self, ex))
                {
                    failure = ex;
                }
            }
            finally
            {
                synchronized (RUNNING_BY_IDENTITY)
                {
                    RUNNING_BY_IDENTITY.remove(self);
                }
                RUNNING.remove();
                SyncSites.bind(null);
            }
        }
        catch (final Throwable ex)
        {
            failure = ex;
        }
        finally
        {
            carrier = null;
            ended.countDown();
            RemoteOutput.detach();
        }

        byte[] finalState = NO_STATE;
        if (failure instanceof ExitedAtOrigin)
        {
            // The program ended at the origin; the session is closed and nothing more is sent.
            image = null;
            failure = null;
            if (null != sync)
            {
                sync.end();
            }
        }
        if (null != image)
        {
            try
            {
                if (null != sync)
                {
                    finalState = sync.finalState();
                }
                else
                {
                    if (null != ownImage)
                    {
                        ownImage.collectStatics();
                    }
                    finalState = image.finalState();
                }
            }
            catch (final RuntimeException ex)
            {
                final VirgoException notSent = new VirgoException("the writes of thread '" + name +
                    "' could not be sent back: " + ex.getMessage(), ex);
                if (null == failure)
                {
                    failure = notSent;
                }
                else
                {
                    failure.addSuppressed(notSent);
                }
            }
        }
        byte[] thrown = null;
        if (null != failure)
        {
            try
            {
                thrown = codec.encodeThrowable(failure);
            }
            catch (final RuntimeException ex)
            {
                VirgoLog.error("cannot encode what thread '" + name + "' threw", ex);
                thrown = codec.encodeThrowable(new VirgoException(failure.toString()));
            }
        }
        try
        {
            session.sendFinished(threadId, finalState, thrown);
        }
        finally
        {
            reset(current, carrierName);
        }
    }

    /**
     * The object the moved code sees as its thread: the travelled copy of a {@code Thread} subclass, or a stand-in
     * built here around a {@code Runnable} with the thread's context class loader, never started; either with the
     * origin's thread id, and a handler reaching the origin's when it has its own.
     */
    private Thread identityOf(final Object runnable) throws IllegalAccessException
    {
        final Thread self;
        if (runnable instanceof Thread)
        {
            self = (Thread)runnable; // name, daemon flag and priority travelled with it
        }
        else
        {
            // Not inheriting the carrier's thread locals; JDK 21 and later then give it the system class loader.
            self = new Thread(null, (Runnable)runnable, name, 0, false);
            self.setContextClassLoader(Thread.currentThread().getContextClassLoader());
            self.setDaemon(daemon);
            self.setPriority(priority);
        }
        THREAD_ID.setLong(self, threadId);
        if (ownHandler)
        {
            self.setUncaughtExceptionHandler(new OriginHandler(this));
        }
        return self;
    }

    /**
     * As the JVM does when {@code run()} throws: the thread's handler gets the exception, in the dying thread. A
     * handler the moved code set on the node runs here; the origin's own (or the thread group's, by default) gets it at
     * the origin, where FINISHED delivers it with the remote stack trace.
     *
     * @return true when a handler set on the node took the exception.
     */
    private boolean handledOnNode(final Thread self, final Throwable ex)
    {
        if (ex instanceof ExitedAtOrigin)
        {
            return false;
        }
        final Thread.UncaughtExceptionHandler handler;
        try
        {
            handler = self.getUncaughtExceptionHandler();
        }
        catch (final RuntimeException notAnswered)
        {
            return false;
        }
        if (null == handler || handler instanceof OriginHandler || handler == self.getThreadGroup())
        {
            return false;
        }
        try
        {
            handler.uncaughtException(self, ex);
        }
        catch (final Throwable ignored)
        {
            // As the JVM ignores what an uncaught-exception handler throws.
        }
        return true;
    }

    /** The identity of the moved thread running on this carrier, or null on any other thread. */
    static Thread identityOfCurrentCarrier()
    {
        final ThreadRunner running = RUNNING.get();
        return null != running ? running.identity : null;
    }

    /** The runner of the moved thread whose identity is {@code thread} while it runs here, else null. */
    static ThreadRunner runningAs(final Thread thread)
    {
        final ThreadRunner own = RUNNING.get();
        if (null != own && own.identity == thread)
        {
            return own;
        }
        synchronized (RUNNING_BY_IDENTITY)
        {
            return RUNNING_BY_IDENTITY.get(thread);
        }
    }

    /** The moved thread this thread belongs to (its carrier, or a thread it started on the node), else null. */
    static ThreadRunner programOfCurrentThread()
    {
        return PROGRAM.get();
    }

    /** The carrier while the thread runs; null before and after. */
    Thread carrier()
    {
        return carrier;
    }

    PropertiesView properties()
    {
        return properties;
    }

    /** Waits like {@link Thread#join(long)} for the end of {@code run()} here; 0 waits for ever. */
    boolean awaitEnd(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        if (timeout == 0)
        {
            ended.await();
            return true;
        }
        return ended.await(timeout, unit);
    }

    /**
     * {@code System.exit}, {@code Runtime.exit} or {@code Runtime.halt} in this moved thread or one it started: the
     * program ends at the origin, never here, where other origins' threads run. Like the JDK's exit, this never
     * returns to the code that called it: the thread waits until the origin has gone (its session closed), then
     * unwinds with {@link ExitedAtOrigin}, whose effects reach nobody.
     */
    void exitProgram(final int status, final boolean halt)
    {
        if (Thread.currentThread() == carrier)
        {
            RemoteOutput.flush(); // what it printed before exiting is printed before the program ends
        }
        session.sendExit(threadId, status, halt);
        session.awaitClosed();
        throw new ExitedAtOrigin();
    }

    /** An exception handed to the origin's handler by the moved code: delivered there, with the origin's Thread. */
    void reportToOriginHandler(final Throwable thrown)
    {
        byte[] bytes;
        try
        {
            bytes = codec.encodeThrowable(thrown);
        }
        catch (final RuntimeException ex)
        {
            bytes = codec.encodeThrowable(new VirgoException(thrown.toString()));
        }
        if (Thread.currentThread() == carrier)
        {
            RemoteOutput.flush();
        }
        session.sendUncaught(threadId, bytes);
    }

    /** Unwinds a thread that exited the program, once the origin has gone; see {@link #exitProgram}. */
    static final class ExitedAtOrigin extends Error
    {
        private static final long serialVersionUID = 1L;

        ExitedAtOrigin()
        {
            super("the program exited at its origin", null, false, false);
        }
    }

    /**
     * The identity's uncaught-exception handler when the origin's thread has one of its own: it is not copied (it may
     * reach anything at the origin), so calling it hands the exception to the real one there.
     */
    static final class OriginHandler implements Thread.UncaughtExceptionHandler
    {
        private final ThreadRunner runner;

        OriginHandler(final ThreadRunner runner)
        {
            this.runner = runner;
        }

        @Override
        public void uncaughtException(final Thread thread, final Throwable thrown)
        {
            runner.reportToOriginHandler(thrown);
        }

        @Override
        public String toString()
        {
            return "the uncaught-exception handler of thread '" + runner.name + "' at its origin";
        }
    }

    /** From the origin, or from moved code interrupting the identity: the carrier, or the carrier it will have. */
    void interrupt()
    {
        interruptRequested = true;
        final Thread running = carrier;
        if (null != running)
        {
            running.interrupt();
        }
    }

    /**
     * RUNNABLE while Virgo prepares the thread (reading the snapshot, loading classes) and while it waits for the bytes
     * of a class from the origin (a JVM loading a class is RUNNABLE too); else the carrier's.
     */
    Thread.State state()
    {
        final Thread running = carrier;
        return null != running && 0 == classRequests ? running.getState() : Thread.State.RUNNABLE;
    }

    /**
     * Around a moved thread's wait for class bytes from its origin: the wait is Virgo's, not the program's, so it
     * shows as RUNNABLE. No-op on any other thread.
     */
    static void classRequestStarted()
    {
        final ThreadRunner running = RUNNING.get();
        if (null != running)
        {
            running.classRequests++;
        }
    }

    static void classRequestEnded()
    {
        final ThreadRunner running = RUNNING.get();
        if (null != running)
        {
            running.classRequests--;
        }
    }

    private static void reset(final Thread current, final String carrierName)
    {
        Thread.interrupted();
        SESSION.remove();
        current.setName(carrierName);
        current.setPriority(Thread.NORM_PRIORITY);
        current.setContextClassLoader(ThreadRunner.class.getClassLoader());
        current.setUncaughtExceptionHandler(null);
        try
        {
            THREAD_LOCALS.set(current, null);
            INHERITABLE_THREAD_LOCALS.set(current, null);
        }
        catch (final IllegalAccessException ex)
        {
            throw new IllegalStateException("cannot clear the thread locals of a carrier", ex);
        }
    }

    /** java.lang is opened to Virgo by the launcher agent; without it a carrier could leak thread locals. */
    private static Field threadField(final String fieldName)
    {
        try
        {
            final Field field = Thread.class.getDeclaredField(fieldName);
            field.setAccessible(true);
            return field;
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            throw new IllegalStateException("node needs java.lang opened to read Thread." + fieldName + ": " + ex, ex);
        }
    }
}
