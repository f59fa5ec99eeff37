package dev.virgo.runtime.origin;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Numbers the application's class loaders whose threads moved, so that nodes can tell two loaders' classes of one
 * name apart (plugins, application servers) and name, in a class request, the loader to answer from; and finds a
 * loader again by its number.
 *
 * <p>Weak both ways: being numbered keeps no loader alive, so a loader the program dropped is collected as it would
 * be without Virgo, and a request naming it is refused. Numbers start at 1 and are never reused, so a node's cache
 * of class bytes keyed by number can never hand one loader's classes to another. Thread safe.
 */
final class ClassLoaderIds
{
    private final Map<ClassLoader, Integer> ids = new WeakHashMap<>();
    private final Map<Integer, LoaderReference> loaders = new HashMap<>();
    private final ReferenceQueue<ClassLoader> collected = new ReferenceQueue<>();
    private int lastId;

    /**
     * @param loader an application class loader; null (the bootstrap loader) is numbered as the system loader,
     *               which is where a class request for it is answered from.
     * @return its number, the same for as long as the loader lives.
     */
    synchronized int idOf(final ClassLoader loader)
    {
        final ClassLoader numbered = null != loader ? loader : ClassLoader.getSystemClassLoader();
        Integer id = ids.get(numbered);
        if (null == id)
        {
            forgetCollected();
            id = ++lastId;
            ids.put(numbered, id);
            loaders.put(id, new LoaderReference(numbered, id, collected));
        }
        return id;
    }

    /** @return the loader numbered {@code id}, or null when no loader had that number or it was collected. */
    synchronized ClassLoader loader(final int id)
    {
        final LoaderReference reference = loaders.get(id);
        return null != reference ? reference.get() : null;
    }

    /** How many loaders are numbered and not known to be collected; for tests. */
    synchronized int size()
    {
        forgetCollected();
        return loaders.size();
    }

    private void forgetCollected()
    {
        for (Reference<? extends ClassLoader> gone = collected.poll(); null != gone; gone = collected.poll())
        {
            loaders.remove(((LoaderReference)gone).id);
        }
    }

    private static final class LoaderReference extends WeakReference<ClassLoader>
    {
        final int id;

        LoaderReference(final ClassLoader loader, final int id, final ReferenceQueue<ClassLoader> queue)
        {
            super(loader, queue);
            this.id = id;
        }
    }
}
