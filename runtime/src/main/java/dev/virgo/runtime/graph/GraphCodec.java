package dev.virgo.runtime.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import dev.virgo.api.VirgoException;

/**
 * Encodes moved threads' object graphs and the exceptions that end them. Thread safe; make one per runtime.
 * <p>
 * Kryo instances: building one costs tens of microseconds, so the origin side ({@link #snapshot},
 * {@link Snapshot#mergeBack}, {@link #decodeThrowable}) borrows them from a small pool. A Kryo caches class
 * lookups by name and keeps every class it has seen, so each pooled Kryo is bound to one class loader and is
 * replaced, not reused, when a caller asks for another loader. The node side ({@link #read},
 * {@link #encodeThrowable}) builds a fresh Kryo per call on purpose: every moved thread has its own class
 * loader there, and a pooled Kryo would both resolve names to another thread's classes and keep finished
 * threads' classes alive forever.
 */
public final class GraphCodec
{
    private static final int POOL_SIZE = 16;
    private static final Pattern TRACE_ENTRY = Pattern.compile("^(\\S+) \\((\\S+)\\)$");
    private static final int FIRST_JDK_WARNING_ON_UNSAFE = 24;

    static
    {
        // From JDK 24 Kryo's sun.misc.Unsafe use prints deprecation warnings into the application's console. Kryo
        // reads its switch once, when its Util class initializes: set it only around that, so that an application's
        // own (unrelocated) Kryo is not affected.
        if (Runtime.version().feature() >= FIRST_JDK_WARNING_ON_UNSAFE && null == System.getProperty("kryo.unsafe"))
        {
            System.setProperty("kryo.unsafe", "false");
            try
            {
                if (com.esotericsoftware.kryo.util.Util.unsafe)
                {
                    throw new IllegalStateException("Kryo ignored kryo.unsafe=false");
                }
            }
            finally
            {
                System.clearProperty("kryo.unsafe");
            }
        }
    }

    private final int maxGraphBytes;
    private final boolean poolReaders;
    private final ArrayBlockingQueue<GraphKryo> pool = new ArrayBlockingQueue<>(POOL_SIZE);
    private final ThrowableCodec throwables = new ThrowableCodec(this);

    /**
     * @param maxGraphBytes the most bytes one encoded graph (or final state) may take; a bigger one is refused
     *                      with {@link GraphTooLargeException}.
     */
    public GraphCodec(final int maxGraphBytes)
    {
        this(maxGraphBytes, false);
    }

    /**
     * @param maxGraphBytes the most bytes one encoded graph (or final state) may take.
     * @param poolReaders   true when every {@link #read} of this codec uses one class loader (a node's image shared
     *                      by an origin's threads): the Kryo that read an image goes back to the pool after
     *                      {@link Image#finalState()}, so a move costs no new Kryo. False (per-thread class loaders)
     *                      builds one per read, so no finished thread's classes stay reachable.
     */
    public GraphCodec(final int maxGraphBytes, final boolean poolReaders)
    {
        if (maxGraphBytes <= 0)
        {
            throw new IllegalArgumentException("maxGraphBytes must be positive: " + maxGraphBytes);
        }
        this.maxGraphBytes = maxGraphBytes;
        this.poolReaders = poolReaders;
    }

    /** The limit given to the constructor. */
    public int maxGraphBytes()
    {
        return maxGraphBytes;
    }

    /**
     * Origin, at start(): encodes {@code roots} and everything reachable from them. Thread objects among the roots
     * travel (their subclass fields, name, daemon, priority and Runnable); any other thread is refused. Static
     * field values travel as roots too, typically as one Object[] holding them.
     *
     * @param roots  the objects to copy; the array itself is part of the graph, so its elements are written back.
     * @param loader the loader that resolves the graph's classes when the snapshot is read back at merge.
     * @throws UnshippableGraphException if the graph reaches something that cannot live in another JVM.
     * @throws GraphTooLargeException    if the encoding exceeds {@link #maxGraphBytes()}.
     */
    public Snapshot snapshot(final Object[] roots, final ClassLoader loader)
        throws UnshippableGraphException, GraphTooLargeException
    {
        final ClassOffer offer = new ClassOffer();
        final GraphKryo kryo = borrow(loader, offer);
        final LimitedOutput output = new LimitedOutput(maxGraphBytes);
        boolean healthy = false;
        try
        {
            kryo.threads().allowThreadsAmong(roots);
            kryo.kryo().writeClassAndObject(output, roots);
            final Object[] originals = kryo.resolver().writtenInIdOrder();
            healthy = true;
            return new Snapshot(this, loader, output.toBytes(), originals, offer);
        }
        catch (final RuntimeException | StackOverflowError ex)
        {
            throw encodingFailure(ex, output);
        }
        finally
        {
            release(kryo, healthy);
        }
    }

    /**
     * Node: decodes a snapshot into fresh copies. Uses a new Kryo bound to {@code loader} (see the class comment);
     * the image keeps it to encode the final state.
     *
     * @param loader the moved thread's own class loader (in tests, any loader that sees the classes).
     */
    public Image read(final byte[] snapshotBytes, final ClassLoader loader)
    {
        final GraphKryo kryo = poolReaders ? borrow(loader) : new GraphKryo(loader);
        try
        {
            final Object[] roots = (Object[])kryo.kryo().readClassAndObject(new Input(snapshotBytes));
            final Object[] copies = kryo.resolver().readInIdOrder();
            return new Image(this, kryo, roots, copies, snapshotBytes);
        }
        catch (final KryoException | ClassCastException ex)
        {
            throw new VirgoException("snapshot of " + snapshotBytes.length + " bytes cannot be read: " + ex.getMessage(), ex);
        }
        finally
        {
            kryo.reset();
        }
    }

    /**
     * Node: encodes an exception that escaped run(). Never fails: what cannot be encoded (application fields of
     * the exception that reach unshippable objects) is left out.
     */
    public byte[] encodeThrowable(final Throwable t)
    {
        return throwables.encode(t);
    }

    /**
     * Origin: decodes an exception as the same class, with the same message, stack trace, cause chain, suppressed
     * exceptions and application-declared fields. Each exception of the chain whose class cannot be loaded or
     * rebuilt becomes a {@link RemoteThrowable} carrying its class name, message and stack trace.
     */
    public Throwable decodeThrowable(final byte[] bytes, final ClassLoader loader)
    {
        return throwables.decode(bytes, loader, null);
    }

    /**
     * Origin: as {@link #decodeThrowable(byte[], ClassLoader)} for an exception a node sent, rebuilding only classes
     * offered to the thread: an exception of another class becomes a {@link RemoteThrowable} (nothing of the class
     * is made) with an {@link UnofferedClassException} suppressed in it saying why, and application fields naming
     * classes not offered stay at their defaults.
     */
    public Throwable decodeThrowable(final byte[] bytes, final ClassLoader loader, final ClassOffer offer)
    {
        return throwables.decode(bytes, loader, offer);
    }

    byte[] writeFinalState(final GraphKryo kryo, final Object[] copies)
    {
        final LimitedOutput output = new LimitedOutput(maxGraphBytes);
        boolean healthy = false;
        try
        {
            kryo.threads().allowThreadsAmong(copies);
            kryo.encodingFinalState(true);
            kryo.kryo().writeClassAndObject(output, copies.clone());
            healthy = true;
            return output.toBytes();
        }
        catch (final RuntimeException | StackOverflowError ex)
        {
            throw encodingFailure(ex, output);
        }
        finally
        {
            kryo.encodingFinalState(false);
            if (poolReaders)
            {
                release(kryo, healthy);
            }
            else
            {
                kryo.reset();
            }
        }
    }

    /**
     * Mid-run, either side: encodes the current state of every object of a shared table (see {@link HomeGraph}) and
     * of the objects they reference, as one array whose elements are the table's, in table order; then, when there are
     * {@code extras}, a second array of them (the arguments of a call carried to the origin, or its outcome), in the
     * same reference space, so that an extra that is a table object travels as a reference to it, and a new one is
     * added to both tables like any object the table reaches.
     *
     * @param added     receives, in reference-id order, the objects written that are not in the table: the other side
     *                  finds the same ones in the same order ({@link #readTable}), and both append them to their tables.
     * @param created   true on a node: atomics and locks are written by value, as in a final state, since the only
     *                  ones a shared graph can hold there are objects the thread created.
     * @param extras    null for none.
     */
    byte[] writeTable(
        final GraphKryo kryo, final Object[] table, final List<Object> added, final boolean created, final Object[] extras)
    {
        final LimitedOutput output = new LimitedOutput(maxGraphBytes);
        try
        {
            kryo.threads().allowThreadsAmong(table);
            kryo.encodingFinalState(created);
            final Object[] written = table.clone();
            kryo.kryo().writeClassAndObject(output, written);
            final Object[] writtenExtras = null == extras ? null : extras.clone();
            if (null != writtenExtras)
            {
                kryo.kryo().writeClassAndObject(output, writtenExtras);
            }
            final IdentityHashMap<Object, Boolean> inTable = new IdentityHashMap<>(table.length * 2);
            for (final Object object : table)
            {
                inTable.put(object, Boolean.TRUE);
            }
            inTable.put(written, Boolean.TRUE);
            if (null != writtenExtras)
            {
                inTable.put(writtenExtras, Boolean.TRUE);
            }
            for (final Object object : kryo.resolver().writtenInIdOrder())
            {
                if (!inTable.containsKey(object))
                {
                    added.add(object);
                }
            }
            return output.toBytes();
        }
        catch (final RuntimeException | StackOverflowError ex)
        {
            throw encodingFailure(ex, output);
        }
        finally
        {
            kryo.reset();
        }
    }

    /**
     * Mid-run, either side: reads what {@link #writeTable} wrote, as the table's objects in table order followed by the
     * objects that were added, in the order the writer added them: aligned with the writer's table once it appended
     * them.
     *
     * @param tableSize receives at [0] how many of the returned objects are the table's (the rest were added).
     * @param extras    receives at [0] the extras written after the table, or null when there were none; may be null
     *                  when the caller has no use for them.
     */
    Object[] readTable(final GraphKryo kryo, final byte[] bytes, final int[] tableSize, final Object[][] extras)
    {
        try
        {
            final Input input = new Input(bytes);
            final Object state = kryo.kryo().readClassAndObject(input);
            if (!(state instanceof Object[]))
            {
                throw new VirgoException("shared state of " + bytes.length + " bytes holds " +
                    (state == null ? "null" : state.getClass().getName()) + ", not a table of objects");
            }
            final Object[] elements = (Object[])state;
            Object[] trailing = null;
            if (input.position() < bytes.length)
            {
                final Object more = kryo.kryo().readClassAndObject(input);
                if (!(more instanceof Object[]) || input.position() != bytes.length)
                {
                    throw new VirgoException("shared state of " + bytes.length + " bytes has " +
                        (bytes.length - input.position()) + " bytes after its extras, or extras that are not an array");
                }
                trailing = (Object[])more;
            }
            final IdentityHashMap<Object, Boolean> inTable = new IdentityHashMap<>(elements.length * 2);
            for (final Object object : elements)
            {
                inTable.put(object, Boolean.TRUE);
            }
            inTable.put(elements, Boolean.TRUE);
            if (null != trailing)
            {
                inTable.put(trailing, Boolean.TRUE);
            }
            final ArrayList<Object> aligned = new ArrayList<>(elements.length + 16);
            aligned.addAll(Arrays.asList(elements));
            for (final Object object : kryo.resolver().readInIdOrder())
            {
                if (!inTable.containsKey(object))
                {
                    aligned.add(object);
                }
            }
            tableSize[0] = elements.length;
            if (null != extras)
            {
                extras[0] = trailing;
            }
            return aligned.toArray();
        }
        catch (final KryoException | UnofferedClassException ex)
        {
            throw decodingFailure("shared state of " + bytes.length + " bytes cannot be read: ", ex);
        }
        finally
        {
            kryo.reset();
        }
    }

    /** Either side: the snapshot's objects as of start(), in reference-id order, read with the given Kryo. */
    Object[] readObjectsInIdOrder(final GraphKryo kryo, final byte[] bytes)
    {
        try
        {
            kryo.kryo().readClassAndObject(new Input(bytes));
            return kryo.resolver().readInIdOrder();
        }
        catch (final KryoException | UnofferedClassException ex)
        {
            throw decodingFailure("snapshot of " + bytes.length + " bytes cannot be read back: ", ex);
        }
        finally
        {
            kryo.reset();
        }
    }

    /** Origin, at merge: the snapshot's objects as of start(), aligned with the originals. */
    Object[] readObjectsInIdOrder(final byte[] bytes, final ClassLoader loader, final ClassOffer offer)
    {
        final GraphKryo kryo = borrow(loader, offer);
        boolean healthy = false;
        try
        {
            kryo.kryo().readClassAndObject(new Input(bytes));
            final Object[] objects = kryo.resolver().readInIdOrder();
            healthy = true;
            return objects;
        }
        catch (final KryoException | UnofferedClassException ex)
        {
            throw decodingFailure("snapshot of " + bytes.length + " bytes cannot be read back: ", ex);
        }
        finally
        {
            release(kryo, healthy);
        }
    }

    /**
     * Origin, at merge: the node's final state, aligned with the originals.
     *
     * @throws UnofferedClassException if it names a class the origin did not offer the thread.
     */
    Object[] readFinalState(final byte[] bytes, final ClassLoader loader, final ClassOffer offer)
    {
        final GraphKryo kryo = borrow(loader, offer);
        boolean healthy = false;
        try
        {
            final Object state = kryo.kryo().readClassAndObject(new Input(bytes));
            healthy = true;
            if (!(state instanceof Object[]))
            {
                throw new VirgoException("final state of " + bytes.length + " bytes holds " +
                    (state == null ? "null" : state.getClass().getName()) + ", not the snapshot's objects");
            }
            return (Object[])state;
        }
        catch (final KryoException | UnofferedClassException ex)
        {
            throw decodingFailure("final state of " + bytes.length + " bytes cannot be read: ", ex);
        }
        finally
        {
            release(kryo, healthy);
        }
    }

    /** A Kryo for {@code loader} that neither records nor checks classes: the node's side. */
    GraphKryo borrow(final ClassLoader loader)
    {
        return borrow(loader, null);
    }

    /**
     * A Kryo for {@code loader}, bound to a moved thread's offer: what it writes is offered to the thread, what it
     * reads must have been offered (the origin's side).
     */
    GraphKryo borrow(final ClassLoader loader, final ClassOffer offer)
    {
        final GraphKryo pooled = pool.poll();
        // a Kryo bound to another loader is dropped, never rebound
        final GraphKryo kryo = pooled != null && pooled.loader() == loader ? pooled : new GraphKryo(loader);
        kryo.offer(offer);
        return kryo;
    }

    void release(final GraphKryo kryo, final boolean healthy)
    {
        kryo.offer(null);
        kryo.reset();
        if (healthy)
        {
            pool.offer(kryo); // dropped when full
        }
    }

    /**
     * A read that failed: a refused class is reported as itself, whose message names the class, the thread and why;
     * anything else as {@code what} and Kryo's message.
     */
    private static VirgoException decodingFailure(final String what, final RuntimeException ex)
    {
        for (Throwable t = ex; t != null; t = t.getCause())
        {
            if (t instanceof UnofferedClassException)
            {
                return (UnofferedClassException)t;
            }
        }
        return new VirgoException(what + ex.getMessage(), ex);
    }

    private RuntimeException encodingFailure(final Throwable ex, final LimitedOutput output)
    {
        if (output.overflowed())
        {
            return new GraphTooLargeException(output.limitBytes(), output.reachedBytes());
        }
        final ArrayList<String> path = tracePath(ex);
        final String where = path.isEmpty() ? "the graph" : path.get(0);
        final String via = path.size() > 1 ? " (reached through " + String.join(" -> ", reversed(path)) + ")" : "";
        for (Throwable t = ex; t != null; t = t.getCause())
        {
            if (t instanceof RefusedObjectException)
            {
                final RefusedObjectException refused = (RefusedObjectException)t;
                return new UnshippableGraphException(where + " holds " + refused.refusedType().getName() + ": " +
                    refused.reason() + via, ex);
            }
        }
        if (ex instanceof StackOverflowError)
        {
            return new UnshippableGraphException(where + ": the graph is too deep to copy (stack overflow)" + via, null);
        }
        Throwable root = ex;
        while (root.getCause() != null)
        {
            root = root.getCause();
        }
        return new UnshippableGraphException(where + " cannot be copied to another JVM: " + firstLine(root) + via, ex);
    }

    /** Kryo's serialization trace, innermost first, as "declaringObjectClass.field". */
    private static ArrayList<String> tracePath(final Throwable ex)
    {
        final ArrayList<String> path = new ArrayList<>();
        final String message = ex.getMessage();
        final int start = message == null ? -1 : message.indexOf("Serialization trace:");
        if (start >= 0)
        {
            for (final String line : message.substring(start).split("\n"))
            {
                final Matcher m = TRACE_ENTRY.matcher(line.trim());
                if (m.matches())
                {
                    path.add(m.group(2) + "." + m.group(1));
                }
            }
        }
        return path;
    }

    private static ArrayList<String> reversed(final ArrayList<String> path)
    {
        final ArrayList<String> result = new ArrayList<>(path.size());
        for (int i = path.size() - 1; i >= 0; i--)
        {
            result.add(path.get(i));
        }
        return result;
    }

    private static String firstLine(final Throwable t)
    {
        final String text = t.toString();
        final int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
