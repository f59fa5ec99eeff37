package dev.virgo.runtime.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.Charset;
import java.util.Collection;
import java.util.Enumeration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The node's {@code System.getProperties()}: installed once with {@link System#setProperties}, it answers each thread
 * from its own view. A moved thread, and every thread it starts on the node, reads and writes the
 * {@link PropertiesView} bound to it (inherited, and cleared from the carrier with its other thread locals when the
 * thread ends); every other thread (the node's own, Aeron's) reads and writes the node's properties as before. So
 * {@code System.getProperty}, and the JDK's readers such as {@code Integer.getInteger} and
 * {@code Boolean.getBoolean}, answer a moved thread with its origin's properties without any call site rewritten.
 *
 * <p>Every public method of {@link Properties} is routed, so nothing reads this object's own (empty) table. Its
 * methods take no lock of this object: each view's {@link Properties} is thread-safe by itself.
 */
final class RoutedProperties extends Properties
{
    private static final long serialVersionUID = 1L;
    private static final InheritableThreadLocal<PropertiesView> VIEW = new InheritableThreadLocal<>();
    private static volatile boolean installed;

    private final transient Properties nodeOwn;

    RoutedProperties(final Properties nodeOwn)
    {
        this.nodeOwn = nodeOwn;
    }

    /** Once per node JVM, before any thread moves here. */
    static synchronized void install()
    {
        if (!installed)
        {
            System.setProperties(new RoutedProperties(System.getProperties()));
            installed = true;
        }
    }

    /** The node's own properties, whoever asks: what a moved thread's view takes the machine's keys from. */
    static Properties nodeOwn()
    {
        final Properties current = System.getProperties();
        return current instanceof RoutedProperties ? ((RoutedProperties)current).nodeOwn : current;
    }

    /** Binds a moved thread's view to this thread (and the threads it starts) until the carrier is reset. */
    static void bind(final PropertiesView view)
    {
        VIEW.set(view);
    }

    /** The view bound to this thread, or null on the node's own threads. */
    static PropertiesView boundView()
    {
        return VIEW.get();
    }

    private Properties read()
    {
        final PropertiesView view = VIEW.get();
        return null == view ? nodeOwn : view.read();
    }

    private Properties write()
    {
        final PropertiesView view = VIEW.get();
        return null == view ? nodeOwn : view.write();
    }

    @Override
    public Object setProperty(final String key, final String value)
    {
        return write().setProperty(key, value);
    }

    @Override
    public void load(final Reader reader) throws IOException
    {
        write().load(reader);
    }

    @Override
    public void load(final InputStream inStream) throws IOException
    {
        write().load(inStream);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void save(final OutputStream out, final String comments)
    {
        read().save(out, comments);
    }

    @Override
    public void store(final Writer writer, final String comments) throws IOException
    {
        read().store(writer, comments);
    }

    @Override
    public void store(final OutputStream out, final String comments) throws IOException
    {
        read().store(out, comments);
    }

    @Override
    public void loadFromXML(final InputStream in) throws IOException
    {
        write().loadFromXML(in);
    }

    @Override
    public void storeToXML(final OutputStream os, final String comment) throws IOException
    {
        read().storeToXML(os, comment);
    }

    @Override
    public void storeToXML(final OutputStream os, final String comment, final String encoding) throws IOException
    {
        read().storeToXML(os, comment, encoding);
    }

    @Override
    public void storeToXML(final OutputStream os, final String comment, final Charset charset) throws IOException
    {
        read().storeToXML(os, comment, charset);
    }

    @Override
    public String getProperty(final String key)
    {
        return read().getProperty(key);
    }

    @Override
    public String getProperty(final String key, final String defaultValue)
    {
        return read().getProperty(key, defaultValue);
    }

    @Override
    public Enumeration<?> propertyNames()
    {
        return read().propertyNames();
    }

    @Override
    public Set<String> stringPropertyNames()
    {
        return read().stringPropertyNames();
    }

    @Override
    public void list(final PrintStream out)
    {
        read().list(out);
    }

    @Override
    public void list(final PrintWriter out)
    {
        read().list(out);
    }

    @Override
    public int size()
    {
        return read().size();
    }

    @Override
    public boolean isEmpty()
    {
        return read().isEmpty();
    }

    @Override
    public Enumeration<Object> keys()
    {
        return read().keys();
    }

    @Override
    public Enumeration<Object> elements()
    {
        return read().elements();
    }

    @Override
    public boolean contains(final Object value)
    {
        return read().contains(value);
    }

    @Override
    public boolean containsValue(final Object value)
    {
        return read().containsValue(value);
    }

    @Override
    public boolean containsKey(final Object key)
    {
        return read().containsKey(key);
    }

    @Override
    public Object get(final Object key)
    {
        return read().get(key);
    }

    @Override
    public Object put(final Object key, final Object value)
    {
        return write().put(key, value);
    }

    @Override
    public Object remove(final Object key)
    {
        return write().remove(key);
    }

    @Override
    public void putAll(final Map<?, ?> t)
    {
        write().putAll(t);
    }

    @Override
    public void clear()
    {
        write().clear();
    }

    @Override
    public String toString()
    {
        return read().toString();
    }

    /** The views below can change the table, so they are the writable one's. */
    @Override
    public Set<Object> keySet()
    {
        return write().keySet();
    }

    @Override
    public Collection<Object> values()
    {
        return write().values();
    }

    @Override
    public Set<Map.Entry<Object, Object>> entrySet()
    {
        return write().entrySet();
    }

    @Override
    public boolean equals(final Object o)
    {
        return this == o || read().equals(o instanceof RoutedProperties ? ((RoutedProperties)o).read() : o);
    }

    @Override
    public int hashCode()
    {
        return read().hashCode();
    }

    @Override
    public Object getOrDefault(final Object key, final Object defaultValue)
    {
        return read().getOrDefault(key, defaultValue);
    }

    @Override
    public void forEach(final BiConsumer<? super Object, ? super Object> action)
    {
        read().forEach(action);
    }

    @Override
    public void replaceAll(final BiFunction<? super Object, ? super Object, ?> function)
    {
        write().replaceAll(function);
    }

    @Override
    public Object putIfAbsent(final Object key, final Object value)
    {
        return write().putIfAbsent(key, value);
    }

    @Override
    public boolean remove(final Object key, final Object value)
    {
        return write().remove(key, value);
    }

    @Override
    public boolean replace(final Object key, final Object oldValue, final Object newValue)
    {
        return write().replace(key, oldValue, newValue);
    }

    @Override
    public Object replace(final Object key, final Object value)
    {
        return write().replace(key, value);
    }

    @Override
    public Object computeIfAbsent(final Object key, final Function<? super Object, ?> mappingFunction)
    {
        return write().computeIfAbsent(key, mappingFunction);
    }

    @Override
    public Object computeIfPresent(
        final Object key, final BiFunction<? super Object, ? super Object, ?> remappingFunction)
    {
        return write().computeIfPresent(key, remappingFunction);
    }

    @Override
    public Object compute(final Object key, final BiFunction<? super Object, ? super Object, ?> remappingFunction)
    {
        return write().compute(key, remappingFunction);
    }

    @Override
    public Object merge(
        final Object key, final Object value, final BiFunction<? super Object, ? super Object, ?> remappingFunction)
    {
        return write().merge(key, value, remappingFunction);
    }

    @Override
    public Object clone()
    {
        return read().clone();
    }
}
