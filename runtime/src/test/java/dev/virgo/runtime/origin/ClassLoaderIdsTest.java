package dev.virgo.runtime.origin;

import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassLoaderIdsTest
{
    private final ClassLoaderIds ids = new ClassLoaderIds();

    @Test
    void shouldNumberEachLoaderOnceAndFindItByItsNumber()
    {
        final ClassLoader application = getClass().getClassLoader();
        final ClassLoader plugin = new URLClassLoader("plugin", new URL[0], application);

        final int applicationId = ids.idOf(application);
        final int pluginId = ids.idOf(plugin);

        assertTrue(applicationId > 0 && pluginId > 0);
        assertNotEquals(applicationId, pluginId);
        assertEquals(applicationId, ids.idOf(application));
        assertSame(application, ids.loader(applicationId));
        assertSame(plugin, ids.loader(pluginId));
        assertNull(ids.loader(pluginId + 1), "a number never given");
        assertNull(ids.loader(0));
        assertSame(ClassLoader.getSystemClassLoader(), ids.loader(ids.idOf(null)), "the bootstrap loader's classes " +
            "are answered from the system loader");
    }

    @Test
    void shouldNotKeepADroppedLoaderAliveNorGiveItsNumberToAnother() throws Exception
    {
        ClassLoader plugin = new URLClassLoader("plugin", new URL[0], getClass().getClassLoader());
        final int pluginId = ids.idOf(plugin);
        final WeakReference<ClassLoader> pluginGone = new WeakReference<>(plugin);
        plugin = null;

        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (null != pluginGone.get() && System.nanoTime() < deadlineNs)
        {
            System.gc();
            Thread.sleep(10); // polling the collector, bounded by the deadline
        }

        assertNull(pluginGone.get(), "numbering the loader kept it alive");
        assertNull(ids.loader(pluginId), "a request naming the dropped loader is refused");
        assertEquals(0, ids.size());
        final int nextId = ids.idOf(new URLClassLoader("next", new URL[0], getClass().getClassLoader()));
        assertTrue(nextId > pluginId, "number " + nextId + " reused: a node's cache would give it the old classes");
    }
}
