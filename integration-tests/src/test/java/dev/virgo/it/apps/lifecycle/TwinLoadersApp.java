package dev.virgo.it.apps.lifecycle;

import dev.virgo.it.apps.Check;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Two class loaders define different classes of one name, as plugins and application servers do: a thread of each
 * moves to the same node, one after the other, and each runs its own loader's class there. The classes are
 * {@link TwinPlugin} with its string constant patched to {@code VARIANT-A} or {@code VARIANT-B} (same length, so the
 * class file stays valid); each loader serves its bytes from {@code getResourceAsStream} too, which is where the
 * origin reads them to answer a node. Run with {@code offload=dev.virgo.it.apps.lifecycle.TwinPlugin,localNodes=1}.
 */
public final class TwinLoadersApp
{
    static final String PLUGIN = "dev.virgo.it.apps.lifecycle.TwinPlugin";
    static final String TEMPLATE_VARIANT = "VARIANT-?";

    /** Child-first for the plugin class only; everything else comes from the application's loader. */
    static final class PluginLoader extends ClassLoader
    {
        private final byte[] pluginBytes;

        PluginLoader(final String name, final byte[] pluginBytes)
        {
            super(name, TwinLoadersApp.class.getClassLoader());
            this.pluginBytes = pluginBytes;
        }

        @Override
        protected Class<?> loadClass(final String name, final boolean resolve) throws ClassNotFoundException
        {
            if (!PLUGIN.equals(name))
            {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name))
            {
                final Class<?> loaded = findLoadedClass(name);
                return null != loaded ? loaded : defineClass(name, pluginBytes, 0, pluginBytes.length);
            }
        }

        @Override
        public InputStream getResourceAsStream(final String name)
        {
            return resourceName(PLUGIN).equals(name) ?
                new ByteArrayInputStream(pluginBytes) : super.getResourceAsStream(name);
        }
    }

    public static void main(final String[] args) throws Exception
    {
        final byte[] template;
        try (InputStream in = TwinLoadersApp.class.getClassLoader().getResourceAsStream(resourceName(PLUGIN)))
        {
            template = in.readAllBytes();
        }
        final Runnable pluginA = plugin(new PluginLoader("plugins-a", patch(template, "VARIANT-A")));
        final Runnable pluginB = plugin(new PluginLoader("plugins-b", patch(template, "VARIANT-B")));
        Check.that("two-classes-of-one-name", pluginA.getClass() != pluginB.getClass() &&
            pluginA.getClass().getName().equals(pluginB.getClass().getName()), pluginA.getClass());

        for (final Runnable plugin : new Runnable[] {pluginA, pluginB})
        {
            final Thread thread = new Thread(plugin, "thread-of-" + plugin.getClass().getClassLoader().getName());
            thread.start();
            thread.join();
        }
        final long ranA = (long)field(pluginA, "ranIn");
        final long ranB = (long)field(pluginB, "ranIn");
        Check.that("plugin-threads-moved", ranA != 0 && ranA != Check.pid() && ranB != 0 && ranB != Check.pid(),
            ranA + " " + ranB);
        Check.that("plugin-threads-shared-a-node", ranA == ranB, ranA + " " + ranB);
        Check.that("plugin-a-ran-its-own-class", "VARIANT-A".equals(field(pluginA, "seen")), field(pluginA, "seen"));
        Check.that("plugin-b-ran-its-own-class", "VARIANT-B".equals(field(pluginB, "seen")), field(pluginB, "seen"));
        System.out.println("DONE");
    }

    private static Runnable plugin(final ClassLoader loader) throws ReflectiveOperationException
    {
        return (Runnable)loader.loadClass(PLUGIN).getConstructor().newInstance();
    }

    private static Object field(final Object plugin, final String name) throws ReflectiveOperationException
    {
        return plugin.getClass().getField(name).get(plugin);
    }

    private static String resourceName(final String className)
    {
        return className.replace('.', '/') + ".class";
    }

    /** Replaces the template's one UTF-8 constant {@code VARIANT-?} by another of the same length. */
    private static byte[] patch(final byte[] template, final String variant) throws IOException
    {
        final byte[] from = TEMPLATE_VARIANT.getBytes(StandardCharsets.UTF_8);
        final byte[] to = variant.getBytes(StandardCharsets.UTF_8);
        final byte[] patched = template.clone();
        int found = 0;
        for (int i = 0; i + from.length <= patched.length; i++)
        {
            boolean match = true;
            for (int j = 0; j < from.length && match; j++)
            {
                match = patched[i + j] == from[j];
            }
            if (match)
            {
                System.arraycopy(to, 0, patched, i, to.length);
                found++;
            }
        }
        if (found != 1 || to.length != from.length)
        {
            throw new IOException("expected one constant " + TEMPLATE_VARIANT + " in the template, found " + found);
        }
        return patched;
    }
}
