package dev.virgo.it.fuzz;

import dev.virgo.it.harness.JvmProcess;
import dev.virgo.runtime.log.LogThrottle;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a target's log says it refused, by throttle ({@code dev.virgo.runtime.log.LogThrottle}): the lines shown plus
 * the "N more not shown" of its summaries, and how many lines that took, to show that the flood stayed bounded.
 */
public final class RefusalCounts
{
    /** A throttle: the name its summaries begin with, and the beginnings of the lines it lets through. */
    private record Throttle(String summary, List<String> lines)
    {
    }

    private static final List<Throttle> THROTTLES = List.of(
        new Throttle("refused messages: ", List.of("refused message #", "dropped malformed message #")),
        new Throttle("refused HELLOs: ", List.of("refused HELLO #")),
        // The node's and origin's handlers write "transport: ", the default one "virgo transport: ".
        new Throttle("transport errors: ", List.of("transport: ")),
        new Throttle("malformed heap control messages: ", List.of("dropped a malformed control message")));
    private static final Pattern NOT_SHOWN = Pattern.compile("(\\d+) more not shown");

    private RefusalCounts()
    {
    }

    /**
     * Waits, at most {@code timeout}, until every throttle whose lines reached its burst has been summarized since, so
     * that the counts are final; after the timeout it reports what there is (then counts are lower bounds).
     */
    public static String settleAndReport(final JvmProcess target, final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!isSettled(target.output()) && System.nanoTime() < deadline)
        {
            LockSupport.parkNanos(100_000_000L);
        }
        return report(target.output());
    }

    static String report(final String log)
    {
        final String[] lines = log.split("\\R");
        final StringBuilder out = new StringBuilder("refused, by the target's log (total / lines written):");
        for (final Throttle throttle : THROTTLES)
        {
            long shown = 0;
            long hidden = 0;
            for (final String line : lines)
            {
                if (line.contains(throttle.summary))
                {
                    final Matcher matcher = NOT_SHOWN.matcher(line);
                    hidden += matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
                }
                else if (throttle.lines.stream().anyMatch(line::contains))
                {
                    shown++;
                }
            }
            if (shown > 0)
            {
                out.append(' ').append(throttle.summary, 0, throttle.summary.length() - 2).append(' ')
                    .append(shown + hidden).append(" / ").append(shown).append(';');
            }
        }
        return out.append(" log lines in all: ").append(lines.length).toString();
    }

    private static boolean isSettled(final String log)
    {
        for (final Throttle throttle : THROTTLES)
        {
            int shownSinceSummary = 0;
            for (final String line : log.split("\\R"))
            {
                if (line.contains(throttle.summary))
                {
                    shownSinceSummary = 0;
                }
                else if (throttle.lines.stream().anyMatch(line::contains))
                {
                    shownSinceSummary++;
                }
            }
            if (shownSinceSummary >= LogThrottle.DEFAULT_BURST_LINES)
            {
                return false;
            }
        }
        return true;
    }
}
