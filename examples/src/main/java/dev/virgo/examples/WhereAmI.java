package dev.virgo.examples;

import java.lang.management.ManagementFactory;

/** Names the JVM a piece of code runs in, so the examples can show where their threads ran. */
final class WhereAmI
{
    private WhereAmI()
    {
    }

    static String describe()
    {
        return "pid " + ProcessHandle.current().pid() + " (" +
            ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("-javaagent")).findFirst().map(a -> "origin").orElse("node") + ")";
    }
}
