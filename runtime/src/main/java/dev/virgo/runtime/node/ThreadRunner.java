package dev.virgo.runtime.node;

import dev.virgo.api.heap.SharedHeap;
import dev.virgo.api.heap.SharedMemory;
import dev.virgo.api.heap.SharedMemoryException;
import dev.virgo.api.VirgoException;
import dev.virgo.runtime.classes.ThreadRoots;
import dev.virgo.runtime.graph.GraphCodec;
import dev.virgo.runtime.graph.Image;
import dev.virgo.runtime.log.VirgoLog;

import java.lang.reflect.Field;

/**
 * Runs one moved thread on a pooled carrier thread: its class loader (its own image of the origin's classes when it
 * carries static fields, else the image its origin's threads share), its name and priority, its output routed
 * to the origin; then sends back the final state and whatever escaped {@code run()}, and leaves the carrier as it
 * found it (name, priority, context class loader, interrupt status, uncaught-exception handler, thread locals) for the next thread.
 */
final class ThreadRunner implements Runnable
{
    private static final Field THREAD_LOCALS = threadField("threadLocals");
    private static final Field INHERITABLE_THREAD_LOCALS = threadField("inheritableThreadLocals");
    private static final byte[] NO_STATE = new byte[0];

    private final OriginSession session;
    private final GraphCodec codec;
    private final long threadId;
    private final String name;
    private final int priority;
    private byte[] payload;
    private volatile Thread carrier;
    private volatile boolean interruptRequested;

    ThreadRunner(
        final OriginSession session,
        final GraphCodec codec,
        final long threadId,
        final String name,
        final int priority,
        final byte[] payload)
    {
        this.session = session;
        this.codec = codec;
        this.threadId = threadId;
        this.name = name;
        this.priority = priority;
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
        final String carrierName = current.getName();
        current.setName(name);
        current.setPriority(priority);
        RemoteOutput.attach((stream, bytes, length) -> session.sendOutput(threadId, stream, bytes, length));

        Image image = null;
        ThreadClassLoader ownImage = null;
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
                    "virgo-thread-" + threadId, className -> session.classBytes(start.loaderId, className),
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
            // Only now is the thread the application's: before, the carrier waits on class bytes from the origin,
            // and its state or an interrupt would be Virgo's, not the thread's.
            carrier = current;
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
            failure = ex;
        }
        finally
        {
            carrier = null;
            RemoteOutput.detach();
        }

        byte[] finalState = NO_STATE;
        if (null != image)
        {
            try
            {
                if (null != ownImage)
                {
                    ownImage.collectStatics();
                }
                finalState = image.finalState();
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

    void interrupt()
    {
        interruptRequested = true;
        final Thread running = carrier;
        if (null != running)
        {
            running.interrupt();
        }
    }

    /** RUNNABLE while Virgo prepares the thread (reading the snapshot, loading classes), then the carrier's. */
    Thread.State state()
    {
        final Thread running = carrier;
        return null != running ? running.getState() : Thread.State.RUNNABLE;
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
