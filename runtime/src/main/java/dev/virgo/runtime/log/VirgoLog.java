package dev.virgo.runtime.log;

import java.io.PrintStream;

/**
 * Virgo's own diagnostics: one line per event on the JVM's original standard error, prefixed with the role
 * ({@code origin}, {@code node-1}). Deliberately not a logging framework: the agent must not touch the
 * application's logging, and a node's {@code System.err} is redirected to the origin.
 * <p>
 * Messages often quote what came from the network (an origin's name, a reply channel, a class name), so control
 * characters are escaped ({@link #printable}): a sender cannot break a line in two, forge a line of its own, or write
 * terminal escapes into an operator's console. A cause's stack trace is the JVM's own and printed as is.
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
        out.println("[virgo " + role + "] " + printable(message));
    }

    public static void warn(final String message)
    {
        out.println("[virgo " + role + "] WARNING: " + printable(message));
    }

    public static void error(final String message, final Throwable cause)
    {
        out.println("[virgo " + role + "] ERROR: " + printable(message));
        if (null != cause)
        {
            cause.printStackTrace(out);
        }
    }

    public static void debug(final String message)
    {
        if (debug)
        {
            out.println("[virgo " + role + "] " + printable(message));
        }
    }

    /**
     * @return the text with every control character (C0, DEL, C1), line or paragraph separator and bidirectional
     * override escaped as a backslash, u and four hex digits; the same instance when there is none, which is the
     * common case.
     */
    public static String printable(final String text)
    {
        if (null == text)
        {
            return "null";
        }
        int i = 0;
        while (i < text.length() && !needsEscape(text.charAt(i)))
        {
            i++;
        }
        if (i == text.length())
        {
            return text;
        }
        final StringBuilder escaped = new StringBuilder(text.length() + 16).append(text, 0, i);
        for (; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (needsEscape(c))
            {
                escaped.append(String.format("\\u%04x", (int)c));
            }
            else
            {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static boolean needsEscape(final char c)
    {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029 ||
            (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    }
}
