package dev.virgo.runtime.log;

import java.io.PrintStream;

/**
 * Virgo's own diagnostics: one line per event on the JVM's original standard error, prefixed with the role
 * ({@code origin}, {@code node-1}). Deliberately not a logging framework: the agent must not touch the
 * application's logging, and a node's {@code System.err} is redirected to the origin.
 */
public final class VirgoLog
{
    private static volatile PrintStream out = System.err;
    private static volatile String role = "virgo";
    private static volatile boolean debug = Boolean.getBoolean("virgo.debug");

    private VirgoLog()
    {
    }

    /** Captures the real standard error before anything redirects {@code System.err}. */
    public static void init(final String roleName, final boolean debugEnabled)
    {
        out = System.err;
        role = roleName;
        debug = debug || debugEnabled;
    }

    public static boolean isDebug()
    {
        return debug;
    }

    public static void info(final String message)
    {
        out.println("[virgo " + role + "] " + message);
    }

    public static void warn(final String message)
    {
        out.println("[virgo " + role + "] WARNING: " + message);
    }

    public static void error(final String message, final Throwable cause)
    {
        out.println("[virgo " + role + "] ERROR: " + message);
        if (null != cause)
        {
            cause.printStackTrace(out);
        }
    }

    public static void debug(final String message)
    {
        if (debug)
        {
            out.println("[virgo " + role + "] " + message);
        }
    }
}
