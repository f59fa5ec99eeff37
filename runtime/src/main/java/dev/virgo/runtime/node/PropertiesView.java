package dev.virgo.runtime.node;

import java.util.Properties;

/**
 * The system properties one moved thread sees, shared with the threads it starts on the node: the origin's as of its
 * {@code start()}, with the node's own for the keys that describe the JVM and machine (see
 * {@link dev.virgo.runtime.machine.MachineProperties}). Starts on a base shared by the threads that started with the
 * same properties, and copies it at the first write, so {@code System.setProperty} in a moved thread changes that
 * thread's view only and a START costs no copy.
 */
final class PropertiesView
{
    private final Properties base;
    private Properties own;

    /** @param base never written through this view. */
    PropertiesView(final Properties base)
    {
        this.base = base;
    }

    synchronized Properties read()
    {
        return null != own ? own : base;
    }

    synchronized Properties write()
    {
        if (null == own)
        {
            own = new Properties();
            own.putAll(base);
        }
        return own;
    }

    /** {@code System.setProperties(p)} in the moved thread; {@code null} goes back to its start's properties. */
    synchronized void replace(final Properties properties)
    {
        own = properties;
    }
}
