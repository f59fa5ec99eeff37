package dev.virgo.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code name=value} arguments of the suite's harnesses, checked against the names a harness knows. */
final class Args
{
    private final Map<String, String> values = new LinkedHashMap<>();

    private Args()
    {
    }

    static Args parse(final String[] args, final Set<String> names)
    {
        final Args parsed = new Args();
        for (final String arg : args)
        {
            final int equals = arg.indexOf('=');
            if (equals <= 0 || !names.contains(arg.substring(0, equals)))
            {
                throw new IllegalArgumentException(arg + ": expected name=value with a name among " + names);
            }
            parsed.values.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        return parsed;
    }

    String string(final String name, final String defaultValue)
    {
        return values.getOrDefault(name, defaultValue);
    }

    String required(final String name)
    {
        final String value = values.get(name);
        if (null == value || value.isBlank())
        {
            throw new IllegalArgumentException(name + ": required");
        }
        return value;
    }

    int integer(final String name, final int defaultValue)
    {
        final String value = values.get(name);
        if (null == value)
        {
            return defaultValue;
        }
        try
        {
            final int parsed = Integer.parseInt(value.replace("_", ""));
            if (parsed < 0)
            {
                throw new IllegalArgumentException(name + "=" + value + ": must not be negative");
            }
            return parsed;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + "=" + value + ": not a whole number");
        }
    }

    /** Ends the JVM after {@code seconds} whatever it is doing: every harness of the suite is bounded. */
    static void exitAfter(final String harness, final int seconds)
    {
        final Thread watchdog = new Thread(() ->
        {
            try
            {
                Thread.sleep(seconds * 1000L);
            }
            catch (final InterruptedException ex)
            {
                return;
            }
            System.err.println(harness + ": gave up after " + seconds + " s");
            Runtime.getRuntime().halt(3);
        }, harness + "-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
