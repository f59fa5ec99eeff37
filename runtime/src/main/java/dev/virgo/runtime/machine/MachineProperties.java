package dev.virgo.runtime.machine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The rule for which system properties a moved thread sees from its origin and which stay the node's own.
 *
 * <p>A moved thread sees the origin's system properties as of its {@code start()} (those passed with {@code -D} and
 * those the program set), except the properties that describe the JVM and the machine the code runs on: those are
 * the node's, because the code really runs there (a path under {@code java.home} or {@code user.dir}, a separator, the
 * class path, the OS). A key stays the node's when it is one of {@link #EXACT} or starts with one of
 * {@link #PREFIXES}; every other key travels:
 * <ul>
 *   <li>the JVM: {@code java.home}, {@code java.class.path}, {@code java.library.path}, {@code java.version},
 *   {@code java.version.date}, {@code java.class.version}, {@code java.vendor*}, {@code java.compiler},
 *   {@code java.vm.*}, {@code java.runtime.*}, {@code java.specification.*}, {@code jdk.debug},
 *   {@code jdk.internal.*}, {@code jdk.module.*}, {@code sun.*};</li>
 *   <li>the machine and process: {@code os.*}, {@code user.dir}, {@code user.home}, {@code user.name},
 *   {@code java.io.tmpdir}, {@code file.separator}, {@code path.separator}, {@code line.separator},
 *   {@code file.encoding}, {@code native.encoding}, {@code stdout.encoding}, {@code stderr.encoding};</li>
 *   <li>Virgo's and its transport's own settings: {@code virgo.*}, {@code aeron.*}, {@code agrona.*}.</li>
 * </ul>
 * Locale and time-zone keys ({@code user.language}, {@code user.timezone}, ...) travel: they are the program's
 * choice. Only string keys with string values travel, as only those are system properties to
 * {@link System#getProperty}.
 */
public final class MachineProperties
{
    static final Set<String> EXACT = Set.of(
        "java.home", "java.class.path", "java.library.path", "java.version", "java.version.date",
        "java.class.version", "java.compiler", "java.io.tmpdir", "jdk.debug",
        "user.dir", "user.home", "user.name",
        "file.separator", "path.separator", "line.separator",
        "file.encoding", "native.encoding", "stdout.encoding", "stderr.encoding");
    static final List<String> PREFIXES = List.of(
        "java.vendor", "java.vm.", "java.runtime.", "java.specification.", "jdk.internal.", "jdk.module.", "sun.",
        "os.", "virgo.", "aeron.", "agrona.");

    private MachineProperties()
    {
    }

    /** @return true when the key describes the JVM or machine, so each JVM keeps its own value. */
    public static boolean isMachineKey(final String key)
    {
        if (EXACT.contains(key))
        {
            return true;
        }
        for (final String prefix : PREFIXES)
        {
            if (key.startsWith(prefix))
            {
                return true;
            }
        }
        return false;
    }

    /** @return the properties that travel with a moved thread (string keys and values, no machine keys). */
    public static Map<String, String> travelling(final Properties properties)
    {
        final Map<String, String> travelling = new LinkedHashMap<>();
        for (final String key : properties.stringPropertyNames())
        {
            final Object value = properties.get(key);
            if (value instanceof String && !isMachineKey(key))
            {
                travelling.put(key, (String)value);
            }
        }
        return travelling;
    }

    /** @return the machine keys of these properties (string values only). */
    public static Properties machineOnly(final Properties properties)
    {
        final Properties machine = new Properties();
        for (final String key : properties.stringPropertyNames())
        {
            final Object value = properties.get(key);
            if (value instanceof String && isMachineKey(key))
            {
                machine.put(key, value);
            }
        }
        return machine;
    }
}
