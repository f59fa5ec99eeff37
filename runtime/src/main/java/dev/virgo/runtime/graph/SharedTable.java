package dev.virgo.runtime.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

import dev.virgo.api.VirgoException;

/**
 * One side's table of the objects a moved thread shares with its origin, and the state both sides last exchanged
 * (home-based lazy release consistency; the home is the origin: {@link HomeGraph}, the node's replica: {@link Image}).
 * <p>
 * An object's place in the table is its identity on both sides: the table starts as the snapshot's objects in
 * reference-id order (which the node's copies and the origin's originals share), and every exchange appends, on both
 * sides and in the same order, the objects it carried that neither table had (objects one side created and published).
 * <p>
 * An exchange carries the whole current state of the table's objects ({@link GraphCodec#writeTable}); the receiver
 * writes into its own objects only what differs between that state and the last exchanged one (its <em>twin</em>,
 * kept encoded), so its own writes since, not yet published, survive, and so do other threads' writes to what the
 * sender left alone. This is the twin-and-diff scheme of TreadMarks, with whole-table encoding as the first, simple
 * form of the diff: its cost grows with the shared graph, not with what changed (measured in benchmarks/README.md).
 * Not thread safe: subclasses serialize the exchanges of one thread's table.
 */
abstract class SharedTable
{
    final GraphCodec codec;
    private Object[] table;
    private int size;
    private IdentityHashMap<Object, Integer> ids;
    private byte[] twin;
    private boolean twinIsSnapshot = true;
    /** The twin is a table state that carried no extras and added no objects: one equal to it changes nothing. */
    private boolean twinIsPlain;
    private boolean previousTwinIsPlain;
    /** What the last {@link #publish} replaced, so that it can be undone when the other side did not apply it. */
    private byte[] previousTwin;
    private boolean previousTwinIsSnapshot;
    private int previousSize = -1;

    /**
     * @param objects  the snapshot's objects in reference-id order (originals at the origin, copies on a node).
     * @param snapshot the snapshot's bytes: the state both sides start from.
     */
    SharedTable(final GraphCodec codec, final Object[] objects, final byte[] snapshot)
    {
        this.codec = codec;
        this.table = objects;
        this.size = objects.length;
        this.twin = snapshot;
    }

    /** @return how many objects both sides know by index. */
    final int size()
    {
        return size;
    }

    /** @return the object with identity {@code id}, or null when there is none. */
    final Object object(final int id)
    {
        return id >= 0 && id < size ? table[id] : null;
    }

    /** @return the identity of {@code object} in the table, or -1 when it has none (values are never shared). */
    final int idOf(final Object object)
    {
        if (null == object || GraphTypes.isValue(object))
        {
            return -1;
        }
        if (null == ids)
        {
            ids = new IdentityHashMap<>(size * 2);
            for (int i = 0; i < size; i++)
            {
                ids.putIfAbsent(table[i], i);
            }
        }
        final Integer id = ids.get(object);
        return null == id ? -1 : id;
    }

    /** The table's objects as of now, for a final state. */
    final Object[] objects()
    {
        return Arrays.copyOf(table, size);
    }

    /**
     * Writes into this side's objects what the other side changed since the last exchange, then takes the received
     * state as the new twin.
     *
     * @param state    what the other side's {@link #publish} wrote; empty, or equal to a plain twin, when nothing
     *                 changed there: then nothing is decoded or written.
     * @param thread   names the thread in the merge's one warning, if it has one.
     * @param warnings where that warning goes.
     * @param beforeVolatileWrites runs after the merge's plain writes, before its volatile ones.
     * @return the extras the state carried after the table ({@link GraphCodec#writeTable}) as this side's objects, or
     *         null when it carried none.
     */
    final Object[] merge(
        final GraphKryo kryo,
        final byte[] state,
        final String thread,
        final Consumer<String> warnings,
        final Runnable beforeVolatileWrites)
    {
        if (0 == state.length || twinIsPlain && Arrays.equals(state, twin))
        {
            // The other side's objects are as last exchanged (a poll under a monitor, a read that found nothing new):
            // nothing to write and nothing new, so neither state is decoded.
            previousSize = -1;
            return null;
        }
        final Object[] baselines = twinIsSnapshot ?
            codec.readObjectsInIdOrder(kryo, twin) : codec.readTable(kryo, twin, new int[1], null);
        final int[] tableSize = new int[1];
        final Object[][] extras = new Object[1][];
        final Object[] received = codec.readTable(kryo, state, tableSize, extras);
        if (tableSize[0] != size || baselines.length != size)
        {
            throw new VirgoException("shared state of " + tableSize[0] + " objects does not match this side's table of " +
                size + " (last exchanged: " + baselines.length + "): nothing was written");
        }
        previousSize = -1; // a merge is not undone: its writes are in this side's objects
        final GraphMerger merger = new GraphMerger(objects(), baselines, Arrays.copyOf(received, size), thread, warnings)
            .beforeVolatileWrites(beforeVolatileWrites);
        merger.merge();
        final Object[] translated = null == extras[0] ? null : merger.translateExtras(extras[0]);
        final boolean addedNone = received.length == size;
        append(received, size);
        twin = state;
        twinIsSnapshot = false;
        twinIsPlain = null == extras[0] && addedNone;
        return translated;
    }

    /**
     * Encodes the current state of this side's objects for the other side, appends the objects it carried that the
     * table did not have, and takes it as the new twin. When it is the twin already (plain, nothing added, no
     * extras), returns an empty array instead, which {@link #merge} takes as "nothing changed".
     *
     * @param created true on a node (see {@link GraphCodec#writeTable}).
     * @param extras  objects to carry after the table (a call's arguments or outcome), or null.
     */
    final byte[] publish(final GraphKryo kryo, final boolean created, final Object[] extras)
    {
        final ArrayList<Object> added = new ArrayList<>();
        final byte[] state = codec.writeTable(kryo, objects(), added, created, extras);
        final boolean unchanged = null == extras && added.isEmpty() && twinIsPlain && Arrays.equals(state, twin);
        commit(state, added, null == extras);
        return unchanged ? NO_CHANGE : state; // the other side's twin is this state already: nothing to send
    }

    private void commit(final byte[] state, final ArrayList<Object> added, final boolean noExtras)
    {
        previousTwin = twin;
        previousTwinIsSnapshot = twinIsSnapshot;
        previousTwinIsPlain = twinIsPlain;
        previousSize = size;
        append(added.toArray(), 0);
        twin = state;
        twinIsSnapshot = false;
        twinIsPlain = noExtras && added.isEmpty();
    }

    /**
     * Undoes the last {@link #publish}: the other side refused or could not apply it, so its twin is still the one
     * before, and the next exchange must be computed against that one. What this side wrote stays in its objects and
     * goes with the next release.
     */
    final void undoPublish()
    {
        if (previousSize < 0)
        {
            throw new IllegalStateException("no publish to undo");
        }
        for (int i = previousSize; i < size; i++)
        {
            if (null != ids)
            {
                ids.remove(table[i]);
            }
            table[i] = null;
        }
        size = previousSize;
        twin = previousTwin;
        twinIsSnapshot = previousTwinIsSnapshot;
        twinIsPlain = previousTwinIsPlain;
        previousSize = -1;
        previousTwin = null;
    }

    /**
     * As {@link #publish}, but when the state is the twin (nothing changed on this side since the last exchange), or
     * when it would add an object {@code notYet} refuses to table outside the thread's own releases, returns an empty
     * array and exchanges nothing.
     */
    final byte[] publishIfChanged(final GraphKryo kryo, final boolean created, final Predicate<Object> notYet)
    {
        final ArrayList<Object> added = new ArrayList<>();
        final byte[] state = codec.writeTable(kryo, objects(), added, created, null);
        if (added.isEmpty() && Arrays.equals(state, twin))
        {
            return NO_CHANGE;
        }
        for (final Object object : added)
        {
            if (notYet.test(object))
            {
                return NO_CHANGE;
            }
        }
        commit(state, added, true);
        return state;
    }

    private static final byte[] NO_CHANGE = new byte[0];

    private void append(final Object[] objects, final int from)
    {
        final int count = objects.length - from;
        if (count == 0)
        {
            return;
        }
        if (size + count > table.length)
        {
            table = Arrays.copyOf(table, Math.max(table.length * 2, size + count));
        }
        for (int i = from; i < objects.length; i++)
        {
            if (null != ids)
            {
                ids.putIfAbsent(objects[i], size);
            }
            table[size++] = objects[i];
        }
    }
}
