package dev.virgo.agent;

import java.lang.instrument.Instrumentation;

/**
 * Runs before {@link Launcher#main} when virgo.jar is started with {@code java -jar}: grants the node the same
 * access to {@code java.base} that the agent grants an origin, so a node needs no extra flags.
 */
public final class LauncherAgent
{
    private LauncherAgent()
    {
    }

    public static void agentmain(final String agentArgs, final Instrumentation instrumentation)
    {
        JdkAccess.grant(instrumentation);
    }
}
