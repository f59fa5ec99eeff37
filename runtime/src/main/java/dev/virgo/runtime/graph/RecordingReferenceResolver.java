package dev.virgo.runtime.graph;

import java.util.ArrayList;

import com.esotericsoftware.kryo.util.MapReferenceResolver;

/**
 * Kryo's map resolver that also remembers written objects in the order it gave them reference ids.
 * <p>
 * Kryo assigns ids in the same order on write (origin) and on read (node, and origin again at merge), so index
 * {@code i} of {@link #writtenInIdOrder()} and of {@link #readInIdOrder()} name the same object of the graph on
 * every side. That alignment is what lets the merge pair each original with its baseline and final copies
 * without any id travelling on the wire.
 */
final class RecordingReferenceResolver extends MapReferenceResolver
{
    private final ArrayList<Object> written = new ArrayList<>();

    @Override
    public int addWrittenObject(final Object object)
    {
        final int id = super.addWrittenObject(object);
        written.add(object);
        return id;
    }

    Object[] writtenInIdOrder()
    {
        return written.toArray();
    }

    Object[] readInIdOrder()
    {
        return readObjects.toArray();
    }

    @Override
    public void reset()
    {
        super.reset();
        written.clear();
    }
}
