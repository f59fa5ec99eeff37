package dev.virgo.runtime.graph;

import dev.virgo.runtime.sharing.ConcurrentTypes;

import java.util.function.Consumer;

/**
 * A node's copy of a moved thread's object graph, made from a {@link Snapshot}'s bytes: its replica of the objects the
 * thread shares with its origin.
 * <p>
 * It remembers its copies in reference-id order, which is their identity at the origin too ({@link SharedTable}), so
 * a release ({@link #release()}) and the final state ({@link #finalState()}) send the state of every shared object
 * aligned with the origin's originals, including objects the thread has since made unreachable, and an acquire
 * ({@link #acquire}) writes into the copies what the origin's objects changed. The Kryo that read the image (bound to
 * the thread's class loader) is kept for these and dropped with the image, so a finished thread's classes are not
 * retained. Thread safe: a moved thread and the threads it started on the node share one image.
 */
public final class Image extends SharedTable
{
    private final GraphKryo kryo;
    private final Object[] roots;

    Image(final GraphCodec codec, final GraphKryo kryo, final Object[] roots, final Object[] copies, final byte[] snapshot)
    {
        super(codec, copies, snapshot);
        this.kryo = kryo;
        this.roots = roots;
    }

    /** The copied roots, in the order given to {@link GraphCodec#snapshot(Object[], ClassLoader)}. */
    public Object[] roots()
    {
        return roots;
    }

    /** @return the identity of {@code copy} at the origin, or -1 when the origin has no such object. */
    public synchronized int identityOf(final Object copy)
    {
        return idOf(copy);
    }

    /**
     * A release: the current state of every shared object and of the new objects they now reference, for the origin
     * to write what changed into its originals.
     *
     * @throws UnshippableGraphException if the thread made the graph reach something that cannot travel.
     * @throws GraphTooLargeException    if the state exceeds the codec's limit.
     */
    public synchronized byte[] release()
    {
        return publish(kryo, true, null);
    }

    /** As {@link #release()}, carrying {@code extras} (a call's arguments) after the table. */
    public synchronized byte[] release(final Object[] extras)
    {
        return publish(kryo, true, extras);
    }

    /** The origin did not apply the last release (it refused or failed): the next one is computed as if it had not happened. */
    public synchronized void undoRelease()
    {
        undoPublish();
    }

    /**
     * As {@link #release()}, but empty when nothing changed since the last exchange (a refresh), and empty too when it
     * would publish an object whose calls go to the origin once shared ({@link ConcurrentTypes#isCarried}: an atomic,
     * a lock, a concurrent collection the thread created and reached from shared state). Such an object joins the
     * table at the thread's next release, in its program order: a refresh, which runs beside the thread, could publish
     * it between a call site's guard and its call, and the call would then act on the node's copy alone. Until then
     * the thread's other writes wait for that release too.
     */
    public synchronized byte[] releaseIfChanged()
    {
        return publishIfChanged(kryo, true, ConcurrentTypes::isCarried);
    }

    /**
     * An acquire: writes into the copies what the origin's objects changed since the last exchange; what this thread
     * wrote and has not released yet stays.
     *
     * @param state    the origin's {@link HomeGraph#acquire()}.
     * @param thread   names the thread in the merge's warning, if a container changed on both sides.
     * @return the extras the state carried after the table (a call's outcome) as this node's objects, or null.
     */
    public synchronized Object[] acquire(final byte[] state, final String thread, final Consumer<String> warnings)
    {
        return merge(kryo, state, thread, warnings, () -> {});
    }

    /**
     * Encodes, after run() ended, the current state of every shared object (in identity order) and of the new objects
     * they now reference. Call once the thread is done; the image's Kryo is released.
     *
     * @throws UnshippableGraphException if the thread made the graph reach something that cannot travel back.
     * @throws GraphTooLargeException    if the final state exceeds the codec's limit.
     */
    public synchronized byte[] finalState()
    {
        return codec.writeFinalState(kryo, objects());
    }

    /** An exception a call made at the origin threw ({@link HomeGraph#encodeThrowable}), as this thread's classes. */
    public Throwable decodeThrowable(final byte[] bytes)
    {
        return codec.decodeThrowable(bytes, kryo.loader());
    }
}
