package dev.virgo.it;

import dev.virgo.it.harness.Jdk;
import dev.virgo.it.harness.JvmProcess;
import dev.virgo.it.harness.Virgo;
import dev.virgo.it.harness.VirgoTestLogs;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each example, unmodified, validates its own result with its threads spread over the two local nodes. */
@ExtendWith(VirgoTestLogs.class)
class ExamplesIT
{
    private static final Pattern NODE_PID = Pattern.compile("pid (\\d+) \\(node\\)");

    static List<Object[]> runs()
    {
        final List<Object[]> runs = new ArrayList<>();
        for (final Jdk jdk : Jdk.available())
        {
            runs.add(new Object[] {jdk, "MonteCarloPi", new String[] {"4", "2000000"}});
            runs.add(new Object[] {jdk, "MatrixMultiply", new String[] {"200", "4"}});
            runs.add(new Object[] {jdk, "StaticTables", new String[] {"100000", "4"}});
            runs.add(new Object[] {jdk, "SharedHistogram", new String[] {"4", "200000"}});
            runs.add(new Object[] {jdk, "HeatDiffusion", new String[] {"32", "4", "10"}});
        }
        return runs;
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("runs")
    void shouldValidateWithThreadsOnTwoNodes(final Jdk jdk, final String example, final String[] args)
        throws ClassNotFoundException
    {
        final JvmProcess origin = Virgo.origin(jdk, "offload=dev.virgo.examples.*",
            Class.forName("dev.virgo.examples." + example), args);
        final String output = Virgo.assertSucceeded(origin);
        assertTrue(output.contains("OK: "), "the example validated its result");
        final Set<String> nodePids = new HashSet<>();
        final Matcher matcher = NODE_PID.matcher(output);
        while (matcher.find())
        {
            nodePids.add(matcher.group(1));
        }
        assertEquals(2, nodePids.size(), "threads ran on both local nodes: " + nodePids);
        assertTrue(!nodePids.contains(String.valueOf(origin.pid())));
        Virgo.assertNothingLeftOf(origin.pid(), Duration.ofSeconds(20));
    }
}
