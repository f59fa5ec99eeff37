package dev.virgo.runtime.graph;

/**
 * A node's private copy of a moved thread's object graph, made from a {@link Snapshot}'s bytes.
 * <p>
 * It remembers its copies in reference-id order, so {@link #finalState()} can send back the final state of every
 * object of the snapshot, aligned with the origin's originals, including objects the thread has since made
 * unreachable. The Kryo that read the image (bound to the thread's class loader) is kept to encode the final
 * state and dropped with the image, so a finished thread's classes are not retained.
 */
public final class Image
{
    private final GraphCodec codec;
    private final GraphKryo kryo;
    private final Object[] roots;
    private final Object[] copies;

    Image(final GraphCodec codec, final GraphKryo kryo, final Object[] roots, final Object[] copies)
    {
        this.codec = codec;
        this.kryo = kryo;
        this.roots = roots;
        this.copies = copies;
    }

    /** The copied roots, in the order given to {@link GraphCodec#snapshot(Object[], ClassLoader)}. */
    public Object[] roots()
    {
        return roots;
    }

    /**
     * Encodes, after run() ended, the current state of every object of the snapshot (in reference-id order) and of
     * the new objects they now reference. Not thread safe; call once the thread is done.
     *
     * @throws UnshippableGraphException if the thread made the graph reach something that cannot travel back.
     * @throws GraphTooLargeException    if the final state exceeds the codec's limit.
     */
    public byte[] finalState()
    {
        return codec.writeFinalState(kryo, copies);
    }
}
