package dev.virgo.benchmarks;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a result must record besides its figures: the JDK, the machine, and the agent's settings as given on the
 * command line (read from the JVM's arguments and {@code virgo.*} system properties, not from Virgo itself, so
 * the harness stays an ordinary program).
 */
final class Environment
{
    final String jdk;
    final int processors;
    final String cpu;
    final String os;
    final String gc;
    final String jvmArgs;
    /** The text after {@code -javaagent:...virgo...jar=}, null when no Virgo agent is on the command line. */
    final String agentArgs;
    final String idle;
    final String channel;
    /** The 1-minute load average when the run began: the machine is shared, so this says how quiet it was. */
    final double loadAtStart;

    private Environment(
        final String jdk,
        final int processors,
        final String cpu,
        final String os,
        final String gc,
        final String jvmArgs,
        final String agentArgs,
        final String idle,
        final String channel,
        final double loadAtStart)
    {
        this.jdk = jdk;
        this.processors = processors;
        this.cpu = cpu;
        this.os = os;
        this.gc = gc;
        this.jvmArgs = jvmArgs;
        this.agentArgs = agentArgs;
        this.idle = idle;
        this.channel = channel;
        this.loadAtStart = loadAtStart;
    }

    static Environment describe(final double loadAtStart)
    {
        final String jdk = System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vm.name") +
            ", " + System.getProperty("java.vm.vendor") + ")";
        final String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " " +
            System.getProperty("os.arch");
        final List<String> collectors = new ArrayList<>();
        for (final GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans())
        {
            collectors.add(bean.getName());
        }

        final List<String> inputArguments = ManagementFactory.getRuntimeMXBean().getInputArguments();
        String agentArgs = null;
        final List<String> otherArgs = new ArrayList<>();
        for (final String argument : inputArguments)
        {
            if (argument.startsWith("-javaagent:") && argument.contains("virgo"))
            {
                final int equals = argument.indexOf('=');
                agentArgs = equals > 0 ? argument.substring(equals + 1) : "";
            }
            else
            {
                otherArgs.add(argument);
            }
        }
        final Map<String, String> options = options(agentArgs);
        final String idle = options.getOrDefault("idle", "backoff");
        final String channel;
        if (null == agentArgs)
        {
            channel = "none (no Virgo agent: every thread is local)";
        }
        else if (options.containsKey("nodes") && !options.get("nodes").isBlank())
        {
            channel = "Aeron UDP to nodes=" + options.get("nodes");
        }
        else
        {
            channel = "embedded: " + options.getOrDefault("localNodes", "2") +
                " local node JVMs, Aeron IPC through the origin's media driver";
        }
        return new Environment(jdk, Runtime.getRuntime().availableProcessors(), cpuModel(), os,
            String.join(", ", collectors), otherArgs.isEmpty() ? "(none)" : String.join(" ", otherArgs),
            agentArgs, idle, channel, loadAtStart);
    }

    String agentWarning()
    {
        if (null == agentArgs)
        {
            return "WARNING: no -javaagent:virgo.jar on the command line; MovedTask will run locally";
        }
        return "agent: " + agentArgs;
    }

    /** The directory of the jar this class came from ({@code benchmarks/target}), else {@code target}. */
    Path jarDirectory()
    {
        try
        {
            final Path codeSource = Path.of(
                Environment.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(codeSource))
            {
                return codeSource.getParent();
            }
        }
        catch (final URISyntaxException | RuntimeException ex)
        {
            // Fall through to the working directory.
        }
        return Path.of("target");
    }

    /** The agent's options as its parser reads them: a token without '=' continues the previous option's list. */
    private static Map<String, String> options(final String agentArgs)
    {
        final Map<String, String> options = new LinkedHashMap<>();
        for (final String name : System.getProperties().stringPropertyNames())
        {
            if (name.startsWith("virgo."))
            {
                options.put(name.substring("virgo.".length()), System.getProperty(name));
            }
        }
        if (null == agentArgs)
        {
            return options;
        }
        String current = null;
        for (final String token : agentArgs.split(","))
        {
            final int equals = token.indexOf('=');
            if (equals > 0)
            {
                current = token.substring(0, equals).trim();
                options.put(current, token.substring(equals + 1).trim());
            }
            else if (null != current)
            {
                options.merge(current, token.trim(), (a, b) -> a + "," + b);
            }
        }
        return options;
    }

    private static String cpuModel()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
            {
                if (line.startsWith("model name"))
                {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // Not Linux, or not readable: say so below.
        }
        return "unknown (no /proc/cpuinfo model name)";
    }
}
