package dev.virgo.runtime.origin;

import dev.virgo.api.VirgoException;
import dev.virgo.runtime.graph.HomeGraph;
import dev.virgo.runtime.log.VirgoLog;
import dev.virgo.runtime.wire.SyncEncoder;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

/**
 * The origin's side of one moved thread's synchronization while it runs: the {@link HomeGraph} of the objects it
 * shares with the program (made at its first SYNC), and its {@link Shadow}s, one for the moved thread and one for
 * each thread it started on its node, each performing that thread's operations on the real objects.
 * <p>
 * Releases and acquires of the thread's shadows, and its final write-back, take turns on the home graph. The statics
 * that travelled with the thread are part of its graph (one value array per class, see {@link StaticFields}): an
 * acquire first reads their current values into those arrays, and a release writes the elements it changed into the
 * static fields, plain ones before any volatile write of the same release.
 */
final class ThreadShadows
{
    private final long originId;
    private final RemoteThread remote;
    private final HomeGraph home;
    private final Map<Integer, Shadow> shadows = new HashMap<>();
    private boolean ended;
    /** Why this side and the node's are out of step (a release the node went on from failed here), or null. */
    private volatile String outOfStep;

    ThreadShadows(final long originId, final RemoteThread remote)
    {
        this.originId = originId;
        this.remote = remote;
        this.home = new HomeGraph(remote.snapshot);
    }

    long originId()
    {
        return originId;
    }

    /** On the conductor: hands a SYNC to the shadow of the thread that sent it, started on its first request. */
    void submit(final SyncRequest request)
    {
        final Shadow shadow;
        synchronized (this)
        {
            if (ended)
            {
                return;
            }
            if (request.op == SyncEncoder.OP_INTERRUPT)
            {
                final Shadow target = shadows.get(request.shadow);
                if (null != target)
                {
                    target.interruptWait(request.timeoutMs);
                }
                return;
            }
            shadow = shadows.computeIfAbsent(request.shadow, number -> new Shadow(this, remote, number));
        }
        shadow.submit(request);
    }

    /** The thread ended, or its node was lost: every shadow lets go of the monitors it holds and ends. */
    void end()
    {
        synchronized (this)
        {
            ended = true;
            for (final Shadow shadow : shadows.values())
            {
                shadow.end();
            }
            shadows.clear();
        }
    }

    /**
     * A release the node did not wait for (a monitor exit, a volatile write...) could not be applied here: the node's
     * last exchanged state and this side's now differ, and every later exchange would write wrong values. So every
     * later exchange of the thread, its final state included, is refused, and the node throws from its next one.
     */
    void breakExchanges(final String why)
    {
        if (null == outOfStep)
        {
            outOfStep = why;
            VirgoLog.warn("the objects moved " + remote + " shares are out of step with its node, its later " +
                "synchronizations fail: " + why);
        }
    }

    private void checkInStep()
    {
        final String why = outOfStep;
        if (null != why)
        {
            throw new VirgoException("the objects " + remote + " shares are out of step with its node since a " +
                "release failed here: " + why);
        }
    }

    /** The shared object with identity {@code objectId}, or the class named, for a monitor or a volatile field. */
    Object resolve(final int objectId, final String className)
    {
        if (objectId >= 0)
        {
            final Object object = home.objectAt(objectId);
            if (null == object)
            {
                throw new VirgoException("no shared object " + objectId + " in the graph of " + remote);
            }
            return object;
        }
        return classNamed(className);
    }

    Field volatileField(final String className, final String fieldName)
    {
        try
        {
            final Field field = classNamed(className).getDeclaredField(fieldName);
            if (!Modifier.isVolatile(field.getModifiers()))
            {
                throw new VirgoException(className + "." + fieldName + " is not volatile");
            }
            field.setAccessible(true);
            return field;
        }
        catch (final NoSuchFieldException ex)
        {
            throw new VirgoException("no field " + className + "." + fieldName + " here", ex);
        }
    }

    private Class<?> classNamed(final String className)
    {
        try
        {
            return Class.forName(className, false, remote.loader);
        }
        catch (final ClassNotFoundException | LinkageError ex)
        {
            throw new VirgoException("no class " + className + " for " + remote + ": " + ex, ex);
        }
    }

    /**
     * A release: what the thread wrote since its last exchange goes into the real objects and statics, volatile
     * fields last.
     *
     * @return the arguments of a call it carried, as the origin's objects, or null.
     */
    Object[] release(final byte[] state)
    {
        checkInStep();
        synchronized (home)
        {
            final Object[][] before = new Object[remote.staticValues.length][];
            for (int i = 0; i < before.length; i++)
            {
                before[i] = remote.staticValues[i].clone();
            }
            return home.release(state, remote.toString(), VirgoLog::warn, () -> writeStatics(before));
        }
    }

    /** A refresh's acquire: as {@link #acquire()}, or empty when nothing changed since the last exchange. */
    byte[] acquireIfChanged()
    {
        checkInStep();
        synchronized (home)
        {
            refreshStatics();
            return home.acquireIfChanged();
        }
    }

    private void refreshStatics()
    {
        for (int i = 0; i < remote.staticValues.length; i++)
        {
            final Object[] now = remote.statics.get(i).read();
            System.arraycopy(now, 0, remote.staticValues[i], 0, now.length);
        }
    }

    /** Undoes the last {@link #acquire()}, which was not sent. */
    void undoAcquire()
    {
        home.undoAcquire();
    }

    /**
     * An acquire: the current state of the shared objects, statics read afresh. The program's other threads here may be
     * changing objects this thread shares while they are encoded (under other locks, or racing): a collection that
     * changes under the encoder fails it, which changes nothing here, so the encoding is tried again a few times.
     */
    byte[] acquire()
    {
        return acquire(null);
    }

    /** As {@link #acquire()}, carrying a call's outcome after the table. */
    byte[] acquire(final Object[] extras)
    {
        checkInStep();
        synchronized (home)
        {
            for (int attempt = 1; ; attempt++)
            {
                refreshStatics();
                try
                {
                    return home.acquire(extras);
                }
                catch (final RuntimeException ex)
                {
                    if (attempt == ENCODE_ATTEMPTS)
                    {
                        throw ex;
                    }
                    Thread.yield();
                }
            }
        }
    }

    private static final int ENCODE_ATTEMPTS = 5;

    /**
     * A call's outcome as it travels after the table: its result, or the encoded exception it threw (a JDK exception
     * whose fields Kryo cannot copy faithfully; the throwable codec keeps class, message, trace and cause).
     */
    Object[] outcome(final ConcurrentCalls.Outcome outcome)
    {
        return new Object[]{null == outcome.thrown ? outcome.result : home.encodeThrowable(outcome.thrown)};
    }

    /** Plain statics first, then volatile ones: a volatile write publishes the plain writes before it. */
    private void writeStatics(final Object[][] before)
    {
        for (final boolean volatiles : new boolean[] {false, true})
        {
            for (int i = 0; i < before.length; i++)
            {
                final StaticFields.ClassStatics statics = remote.statics.get(i);
                final Object[] after = remote.staticValues[i];
                for (int f = 0; f < statics.fields.length; f++)
                {
                    final Field field = statics.fields[f];
                    final int modifiers = field.getModifiers();
                    if (before[i][f] != after[f] && !Modifier.isFinal(modifiers) &&
                        Modifier.isVolatile(modifiers) == volatiles)
                    {
                        try
                        {
                            field.set(null, after[f]);
                        }
                        catch (final IllegalAccessException ex)
                        {
                            throw new IllegalStateException("cannot write " + field, ex);
                        }
                    }
                }
            }
        }
    }
}
