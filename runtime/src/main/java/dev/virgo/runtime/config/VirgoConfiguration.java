package dev.virgo.runtime.config;

import dev.virgo.api.VirgoException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The origin's settings: what moves, where it goes, and what happens when it cannot.
 *
 * <p>Options come from the agent argument and from system properties {@code virgo.<name>} (the agent argument
 * wins). The agent argument is a comma-separated list of {@code name=value}; a token without {@code =}
 * continues the previous option's value, so lists need no quoting:
 * {@code -javaagent:virgo.jar=offload=com.acme.Worker,com.acme.sim.*,localNodes=3,fallback=fail}.
 * Every value is validated once, here, with a message naming the option and the bad value.
 */
public final class VirgoConfiguration
{
    public static final String OFFLOAD = "offload";
    public static final String NODES = "nodes";
    public static final String LOCAL_NODES = "localNodes";
    public static final String FALLBACK = "fallback";
    public static final String IDLE = "idle";
    public static final String MAX_GRAPH_BYTES = "maxGraphBytes";
    public static final String NODE_READY_TIMEOUT_MS = "nodeReadyTimeoutMs";
    public static final String NODE_TIMEOUT_MS = "nodeTimeoutMs";
    public static final String HEARTBEAT_INTERVAL_MS = "heartbeatIntervalMs";
    public static final String NODE_JVM_ARGS = "nodeJvmArgs";
    public static final String DEBUG = "debug";
    public static final String HEAP_PAGE_BYTES = "heapPageBytes";
    public static final String HEAP_TIMEOUT_MS = "heapTimeoutMs";
    public static final String HEAP_MAX_CACHED_PAGES = "heapMaxCachedPages";
    public static final String REPORT_POOLED_CPUS = "reportPooledCpus";
    public static final String SECRET_FILE = "secretFile";

    public static final int LOCAL_NODES_DEFAULT = 2;
    public static final int MAX_GRAPH_BYTES_DEFAULT = 64 * 1024 * 1024;
    public static final long NODE_READY_TIMEOUT_MS_DEFAULT = 15_000;
    public static final long NODE_TIMEOUT_MS_DEFAULT = 5_000;
    public static final long HEARTBEAT_INTERVAL_MS_DEFAULT = 250;
    public static final String IDLE_DEFAULT = "backoff";
    public static final int HEAP_PAGE_BYTES_DEFAULT = 4096;
    public static final long HEAP_TIMEOUT_MS_DEFAULT = 5_000;
    public static final int HEAP_MAX_CACHED_PAGES_DEFAULT = 64 * 1024;

    private static final List<String> KNOWN = List.of(
        OFFLOAD, NODES, LOCAL_NODES, FALLBACK, IDLE, MAX_GRAPH_BYTES, NODE_READY_TIMEOUT_MS, NODE_TIMEOUT_MS,
        HEARTBEAT_INTERVAL_MS, NODE_JVM_ARGS, DEBUG, HEAP_PAGE_BYTES, HEAP_TIMEOUT_MS, HEAP_MAX_CACHED_PAGES,
        REPORT_POOLED_CPUS, SECRET_FILE);

    /** What {@code start()} does when no node can take a thread. */
    public enum Fallback
    {
        /** Run the thread locally, with one warning per class naming the reason. */
        LOCAL,
        /** Throw from {@code start()}. */
        FAIL
    }

    private final List<String> offloadPatterns;
    private final List<String> nodes;
    private final int localNodes;
    private final Fallback fallback;
    private final String idle;
    private final int maxGraphBytes;
    private final long nodeReadyTimeoutMs;
    private final long nodeTimeoutMs;
    private final long heartbeatIntervalMs;
    private final List<String> nodeJvmArgs;
    private final boolean debug;
    private final int heapPageBytes;
    private final long heapTimeoutMs;
    private final int heapMaxCachedPages;
    private final boolean reportPooledCpus;
    private final String secretFile;

    private VirgoConfiguration(final Map<String, String> options)
    {
        offloadPatterns = splitList(options.get(OFFLOAD));
        for (final String pattern : offloadPatterns)
        {
            if (!pattern.matches("[\\p{L}\\p{N}_$.*]+"))
            {
                throw bad(OFFLOAD, pattern, "a class name or a glob such as com.acme.* or com.acme.Worker");
            }
        }
        nodes = splitList(options.get(NODES));
        for (final String node : nodes)
        {
            final int colon = node.lastIndexOf(':');
            if (colon <= 0 || colon == node.length() - 1)
            {
                throw bad(NODES, node, "host:port");
            }
            parsePositiveInt(NODES, node.substring(colon + 1));
        }
        localNodes = options.containsKey(LOCAL_NODES) ?
            parseNonNegativeInt(LOCAL_NODES, options.get(LOCAL_NODES)) : LOCAL_NODES_DEFAULT;
        final String fallbackValue = options.getOrDefault(FALLBACK, "local").toLowerCase(Locale.ROOT);
        switch (fallbackValue)
        {
            case "local": fallback = Fallback.LOCAL; break;
            case "fail": fallback = Fallback.FAIL; break;
            default: throw bad(FALLBACK, fallbackValue, "local or fail");
        }
        idle = options.getOrDefault(IDLE, IDLE_DEFAULT);
        if (!List.of("backoff", "yielding", "sleeping", "spinning").contains(idle))
        {
            throw bad(IDLE, idle, "backoff, yielding, sleeping or spinning");
        }
        maxGraphBytes = options.containsKey(MAX_GRAPH_BYTES) ?
            parsePositiveInt(MAX_GRAPH_BYTES, options.get(MAX_GRAPH_BYTES)) : MAX_GRAPH_BYTES_DEFAULT;
        nodeReadyTimeoutMs = parseLong(options, NODE_READY_TIMEOUT_MS, NODE_READY_TIMEOUT_MS_DEFAULT);
        nodeTimeoutMs = parseLong(options, NODE_TIMEOUT_MS, NODE_TIMEOUT_MS_DEFAULT);
        heartbeatIntervalMs = parseLong(options, HEARTBEAT_INTERVAL_MS, HEARTBEAT_INTERVAL_MS_DEFAULT);
        if (heartbeatIntervalMs * 2 > nodeTimeoutMs)
        {
            throw bad(NODE_TIMEOUT_MS, String.valueOf(nodeTimeoutMs),
                "at least twice heartbeatIntervalMs (" + heartbeatIntervalMs + ")");
        }
        final String jvmArgs = options.get(NODE_JVM_ARGS);
        nodeJvmArgs = null == jvmArgs || jvmArgs.isBlank() ?
            List.of() : List.of(jvmArgs.trim().split("\\s+"));
        debug = Boolean.parseBoolean(options.getOrDefault(DEBUG, "false"));
        heapPageBytes = options.containsKey(HEAP_PAGE_BYTES) ?
            parsePositiveInt(HEAP_PAGE_BYTES, options.get(HEAP_PAGE_BYTES)) : HEAP_PAGE_BYTES_DEFAULT;
        if (Integer.bitCount(heapPageBytes) != 1 || heapPageBytes < 64 || heapPageBytes > 1 << 20)
        {
            throw bad(HEAP_PAGE_BYTES, String.valueOf(heapPageBytes), "a power of two from 64 to 1048576");
        }
        heapTimeoutMs = parseLong(options, HEAP_TIMEOUT_MS, HEAP_TIMEOUT_MS_DEFAULT);
        heapMaxCachedPages = options.containsKey(HEAP_MAX_CACHED_PAGES) ?
            parsePositiveInt(HEAP_MAX_CACHED_PAGES, options.get(HEAP_MAX_CACHED_PAGES)) : HEAP_MAX_CACHED_PAGES_DEFAULT;
        reportPooledCpus = parseBoolean(options, REPORT_POOLED_CPUS);
        secretFile = options.get(SECRET_FILE);
    }

    /** @return the cluster secret file ({@code secretFile=}), or null: then VIRGO_SECRET_FILE, else none. */
    public String secretFile()
    {
        return secretFile;
    }

    /**
     * Reads the agent argument over the {@code virgo.*} system properties.
     *
     * @param agentArgs the text after {@code -javaagent:virgo.jar=}, or null.
     * @return the validated configuration.
     * @throws VirgoException naming the option and value when one is unknown or invalid.
     */
    public static VirgoConfiguration parse(final String agentArgs)
    {
        final Map<String, String> options = new LinkedHashMap<>();
        for (final String name : KNOWN)
        {
            final String value = System.getProperty("virgo." + name);
            if (null != value)
            {
                options.put(name, value);
            }
        }
        options.putAll(parseAgentArgs(agentArgs));
        return new VirgoConfiguration(options);
    }

    static Map<String, String> parseAgentArgs(final String agentArgs)
    {
        final Map<String, String> options = new LinkedHashMap<>();
        if (null == agentArgs || agentArgs.isBlank())
        {
            return options;
        }
        String current = null;
        for (final String token : agentArgs.split(","))
        {
            final int eq = token.indexOf('=');
            if (eq > 0 && KNOWN.contains(token.substring(0, eq).trim()))
            {
                current = token.substring(0, eq).trim();
                options.put(current, token.substring(eq + 1).trim());
            }
            else if (eq > 0)
            {
                throw new VirgoException("unknown option '" + token.substring(0, eq).trim() +
                    "' in agent arguments; known options: " + KNOWN);
            }
            else if (null != current)
            {
                options.merge(current, token.trim(), (a, b) -> a + "," + b);
            }
            else if (!token.isBlank())
            {
                throw new VirgoException("agent argument '" + token + "' is not of the form name=value");
            }
        }
        return options;
    }

    private static List<String> splitList(final String value)
    {
        if (null == value || value.isBlank())
        {
            return List.of();
        }
        final List<String> items = new ArrayList<>();
        for (final String item : value.split(","))
        {
            if (!item.isBlank())
            {
                items.add(item.trim());
            }
        }
        return Collections.unmodifiableList(items);
    }

    private static long parseLong(final Map<String, String> options, final String name, final long defaultValue)
    {
        final String value = options.get(name);
        if (null == value)
        {
            return defaultValue;
        }
        try
        {
            final long parsed = Long.parseLong(value.trim());
            if (parsed <= 0)
            {
                throw bad(name, value, "a positive number");
            }
            return parsed;
        }
        catch (final NumberFormatException ex)
        {
            throw bad(name, value, "a positive number");
        }
    }

    /** Strict: a typo such as {@code reportPooledCpus=ture} must not silently mean false. */
    private static boolean parseBoolean(final Map<String, String> options, final String name)
    {
        final String value = options.get(name);
        if (null == value)
        {
            return false;
        }
        switch (value.trim().toLowerCase(Locale.ROOT))
        {
            case "true": return true;
            case "false": return false;
            default: throw bad(name, value, "true or false");
        }
    }

    private static int parsePositiveInt(final String name, final String value)
    {
        final int parsed = parseNonNegativeInt(name, value);
        if (parsed == 0)
        {
            throw bad(name, value, "a positive number");
        }
        return parsed;
    }

    private static int parseNonNegativeInt(final String name, final String value)
    {
        try
        {
            final int parsed = Integer.parseInt(value.trim());
            if (parsed < 0)
            {
                throw bad(name, value, "a number >= 0");
            }
            return parsed;
        }
        catch (final NumberFormatException ex)
        {
            throw bad(name, value, "a number");
        }
    }

    private static VirgoException bad(final String name, final String value, final String expected)
    {
        return new VirgoException("option " + name + "='" + value + "' is invalid: expected " + expected);
    }

    /** Class names and globs ({@code *} matches any run of characters) chosen by {@code offload=}. */
    public List<String> offloadPatterns()
    {
        return offloadPatterns;
    }

    /** {@code host:port} of standalone nodes; empty means the embedded default (local node JVMs). */
    public List<String> nodes()
    {
        return nodes;
    }

    public int localNodes()
    {
        return localNodes;
    }

    public Fallback fallback()
    {
        return fallback;
    }

    public String idle()
    {
        return idle;
    }

    public int maxGraphBytes()
    {
        return maxGraphBytes;
    }

    public long nodeReadyTimeoutMs()
    {
        return nodeReadyTimeoutMs;
    }

    public long nodeTimeoutMs()
    {
        return nodeTimeoutMs;
    }

    public long heartbeatIntervalMs()
    {
        return heartbeatIntervalMs;
    }

    public List<String> nodeJvmArgs()
    {
        return nodeJvmArgs;
    }

    public boolean debug()
    {
        return debug;
    }

    /** The shared heap's page size: the unit of replication and invalidation (and of false sharing). */
    public int heapPageBytes()
    {
        return heapPageBytes;
    }

    /** How long a heap access waits for a page's home (and the heap waits for its members to join) before failing. */
    public long heapTimeoutMs()
    {
        return heapTimeoutMs;
    }

    /** The bound on each member's copies of pages; clean copies are dropped beyond it. */
    public int heapMaxCachedPages()
    {
        return heapMaxCachedPages;
    }

    /**
     * Whether {@code Runtime.availableProcessors()}, called by the application's classes at the origin, reports the
     * processors of the whole pool (each machine once: the largest count any JVM on it reports) instead of this JVM's.
     * Off by default.
     */
    public boolean reportPooledCpus()
    {
        return reportPooledCpus;
    }

    @Override
    public String toString()
    {
        return "offload=" + offloadPatterns + " nodes=" + (nodes.isEmpty() ? "embedded x" + localNodes : nodes) +
            " fallback=" + fallback.name().toLowerCase(Locale.ROOT) + " idle=" + idle +
            (reportPooledCpus ? " reportPooledCpus=true" : "");
    }
}
