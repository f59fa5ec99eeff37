package dev.virgo.runtime.graph;

import dev.virgo.runtime.log.VirgoLog;

import java.util.function.Consumer;

/**
 * The start() image of one moved thread's object graph, kept at the origin until the thread ends.
 * <p>
 * It holds the encoded graph (sent to the node, and kept so the thread can be re-run elsewhere if its node is
 * lost) and strong references to the original objects in the order Kryo gave them reference ids, which is how
 * {@link #mergeBack(byte[])} finds, for each object of the final state, the original to write into.
 */
public final class Snapshot
{
    private final GraphCodec codec;
    private final ClassLoader loader;
    private final byte[] bytes;
    private final Object[] originals;
    private final ClassOffer offer;

    Snapshot(
        final GraphCodec codec,
        final ClassLoader loader,
        final byte[] bytes,
        final Object[] originals,
        final ClassOffer offer)
    {
        this.offer = offer;
        this.codec = codec;
        this.loader = loader;
        this.bytes = bytes;
        this.originals = originals;
    }

    GraphCodec codec()
    {
        return codec;
    }

    ClassLoader loader()
    {
        return loader;
    }

    /** The classes offered to the thread: what its node may send back, and what the origin serves it. */
    public ClassOffer classOffer()
    {
        return offer;
    }

    Object[] originals()
    {
        return originals.clone();
    }

    /** The encoded graph to send to the node. Not copied: do not modify. */
    public byte[] bytes()
    {
        return bytes;
    }

    /** How many objects the snapshot holds (reference-tracked objects; boxed primitives are not counted). */
    public int objectCount()
    {
        return originals.length;
    }

    /**
     * One original object of the graph, by reference id ({@code 0 <= index < objectCount()}): the origin looks at
     * their classes before the thread moves.
     */
    public Object object(final int index)
    {
        return originals[index];
    }

    /**
     * Writes what the thread changed into the original objects, in place. The snapshot is read a second time to
     * learn each object's state as of start(), and only fields and elements where that baseline differs from
     * {@code finalState} are written, so the origin's own later writes to untouched fields are kept and threads
     * that changed disjoint parts of one object all land. Objects the thread created are attached as they are,
     * their references to snapshot objects redirected to the originals.
     * <p>
     * Call it from the thread that joins, once; concurrent writes by other origin threads to the same objects
     * during the merge race exactly as they would with a local thread's writes.
     *
     * @param finalState the bytes of {@link Image#finalState()} produced by the node for this snapshot.
     * @throws dev.virgo.api.VirgoException if the final state does not belong to this snapshot, or names a class
     *                                      not offered to the thread ({@link UnofferedClassException}); nothing is
     *                                      written then.
     */
    public void mergeBack(final byte[] finalState)
    {
        mergeBack(finalState, "a moved thread");
    }

    /**
     * As {@link #mergeBack(byte[])}. A JDK collection or map is merged by what the thread changed in it, so other
     * threads' writes to it since start() survive; where the thread changed a key, position or element that
     * someone else changed too, its write wins and one warning for the whole merge, through
     * {@link VirgoLog#warn}, names the containers, the first such key or position of each, and the thread.
     *
     * @param thread names the thread in that warning, e.g. {@code thread 'worker-1' (id 31) on node-2}.
     */
    public void mergeBack(final byte[] finalState, final String thread)
    {
        mergeBack(finalState, thread, VirgoLog::warn);
    }

    void mergeBack(final byte[] finalState, final String thread, final Consumer<String> warnings)
    {
        final Object[] baselines = codec.readObjectsInIdOrder(bytes, loader, offer);
        final Object[] finals = codec.readFinalState(finalState, loader, offer);
        new GraphMerger(originals, baselines, finals, thread, warnings).merge();
    }
}
