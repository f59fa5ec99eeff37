package dev.virgo.it.heap;

import dev.virgo.it.harness.Jdk;
import dev.virgo.it.harness.JvmProcess;
import dev.virgo.it.harness.Virgo;
import dev.virgo.it.harness.VirgoTestLogs;
import dev.virgo.it.heap.apps.CountersApp;
import dev.virgo.it.heap.apps.LitmusApp;
import dev.virgo.it.heap.apps.StressApp;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared heap's consistency across JVMs, end to end: an origin and its two local nodes, each app spreading its
 * threads over all three (threads of the origin's own, and threads moved with {@code @Offload}), and
 * {@code fallback=fail} so that a thread that cannot move fails rather than quietly running at the origin.
 */
@ExtendWith(VirgoTestLogs.class)
class SharedHeapIT
{
    private static final String AGENT_ARGS = "fallback=fail";
    private static final Pattern LITMUS = Pattern.compile("LITMUS (\\w+) .*: (\\d+) iterations .* forbidden (\\d+)");

    static List<Jdk> jdks()
    {
        return Jdk.available();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldNeverShowAnOutcomeSequentialConsistencyForbidsInLitmusTestsOverThreeJvms(final Jdk jdk)
    {
        final JvmProcess origin = Virgo.origin(jdk, AGENT_ARGS, LitmusApp.class);
        final String output = Virgo.assertSucceeded(origin);
        Virgo.assertChecks(output, "memory-homed-on-three-members",
            "litmus-mp", "litmus-sb", "litmus-lb", "litmus-iriw", "litmus-corr",
            "litmus-mp-in-three-jvms", "litmus-sb-in-three-jvms", "litmus-lb-in-three-jvms",
            "litmus-iriw-in-three-jvms", "litmus-corr-in-three-jvms",
            "litmus-mp-raced", "litmus-sb-raced", "litmus-lb-raced", "litmus-iriw-raced", "litmus-corr-raced",
            "threads-in-three-jvms");
        final Matcher litmus = LITMUS.matcher(output);
        int shapes = 0;
        while (litmus.find())
        {
            shapes++;
            assertTrue(Integer.parseInt(litmus.group(2)) >= 10_000, litmus.group());
            assertEquals("0", litmus.group(3), litmus.group());
        }
        assertEquals(5, shapes, "one LITMUS line per shape");
        assertTrue(output.contains("DONE"), "the app ran to its end");
        Virgo.assertNothingLeftOf(origin.pid(), Duration.ofSeconds(20));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldCountExactlyAndSeeRemotePutsPromptlyFromThreeJvms(final Jdk jdk)
    {
        final JvmProcess origin = Virgo.origin(jdk, AGENT_ARGS, CountersApp.class);
        final String output = Virgo.assertSucceeded(origin);
        Virgo.assertChecks(output, "memory-homed-on-three-members",
            "getandadd-long-exact", "getandadd-int-exact", "cas-increments-exact", "atomics-interleaved",
            "atomics-in-three-jvms",
            "lock-increments-exact", "lock-mutual-exclusion", "lock-free-after", "lock-passed-between-jvms",
            "lock-in-three-jvms",
            "spin-origin-to-node-prompt", "spin-node-to-node-prompt", "threads-in-three-jvms");
        assertTrue(output.contains("DONE"), "the app ran to its end");
        Virgo.assertNothingLeftOf(origin.pid(), Duration.ofSeconds(20));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldKeepEveryAddressCoherentUnderARandomizedStressOverThreeJvms(final Jdk jdk)
    {
        final JvmProcess origin = Virgo.origin(jdk, AGENT_ARGS, StressApp.class);
        final String output = Virgo.assertSucceeded(origin);
        Virgo.assertChecks(output, "memory-homed-on-three-members", "stress-histories-coherent",
            "stress-shared-for-real", "stress-in-three-jvms", "threads-in-three-jvms");
        assertTrue(!output.contains("VIOLATION"), "no violation printed");
        assertTrue(output.contains("DONE"), "the app ran to its end");
        Virgo.assertNothingLeftOf(origin.pid(), Duration.ofSeconds(20));
    }
}
