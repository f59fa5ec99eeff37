package dev.virgo.runtime.graph;

import java.util.function.Consumer;

/**
 * The origin's side of the objects one moved thread shares with it while it runs: the original objects by identity
 * (see {@link SharedTable}), into which the thread's releases are written, and from which its acquires are encoded.
 * Made from the thread's {@link Snapshot} when the thread first synchronizes on a shared object. Thread safe: the
 * thread's shadows at the origin, and its completion, take turns.
 */
public final class HomeGraph extends SharedTable
{
    private final ClassLoader loader;
    private final ClassOffer offer;

    public HomeGraph(final Snapshot snapshot)
    {
        super(snapshot.codec(), snapshot.originals(), snapshot.bytes());
        this.loader = snapshot.loader();
        this.offer = snapshot.classOffer();
    }

    /** @return the original object with identity {@code id}, or null when there is none. */
    public synchronized Object objectAt(final int id)
    {
        return object(id);
    }

    /**
     * A release: writes what the thread changed since the last exchange into the original objects (volatile fields
     * last), as {@link Snapshot#mergeBack(byte[], String)} does at the end.
     *
     * @param state  the node's {@link Image#release()}, or its final state.
     * @param thread names the thread in the merge's warning.
     * @param beforeVolatileWrites runs after the plain writes, before the volatile ones (the statics' write-back).
     * @return the extras the release carried (a call's arguments) as the origin's objects, or null for none.
     */
    public synchronized Object[] release(
        final byte[] state, final String thread, final Consumer<String> warnings, final Runnable beforeVolatileWrites)
    {
        final GraphKryo kryo = codec.borrow(loader, offer);
        boolean healthy = false;
        try
        {
            final Object[] extras = merge(kryo, state, thread, warnings, beforeVolatileWrites);
            healthy = true;
            return extras;
        }
        finally
        {
            codec.release(kryo, healthy);
        }
    }

    /** Undoes the last {@link #acquire()}: its state was not sent, so the node's twin is still the one before. */
    public synchronized void undoAcquire()
    {
        undoPublish();
    }

    /** As {@link #acquire()}, but empty when nothing changed since the last exchange (a refresh). */
    public synchronized byte[] acquireIfChanged()
    {
        final GraphKryo kryo = codec.borrow(loader, offer);
        boolean healthy = false;
        try
        {
            final byte[] state = publishIfChanged(kryo, false, object -> false);
            healthy = true;
            return state;
        }
        finally
        {
            codec.release(kryo, healthy);
        }
    }

    /**
     * An acquire: the current state of the original objects, for the node to write what changed into its copies.
     *
     * @throws UnshippableGraphException if the shared objects now reach something that cannot travel.
     */
    public synchronized byte[] acquire()
    {
        return acquire(null);
    }

    /**
     * As {@link #acquire()}, carrying {@code extras} (a call's outcome) after the table.
     *
     * @throws UnshippableGraphException if the shared objects or the extras reach something that cannot travel.
     */
    public synchronized byte[] acquire(final Object[] extras)
    {
        final GraphKryo kryo = codec.borrow(loader, offer);
        boolean healthy = false;
        try
        {
            final byte[] state = publish(kryo, false, extras);
            healthy = true;
            return state;
        }
        finally
        {
            codec.release(kryo, healthy);
        }
    }

    /** An exception a call made here for the thread threw, for its node ({@link Image#decodeThrowable}). */
    public byte[] encodeThrowable(final Throwable thrown)
    {
        return codec.encodeThrowable(thrown);
    }
}
