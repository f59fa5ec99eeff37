package dev.virgo.it;

import dev.virgo.it.apps.ContractApp;
import dev.virgo.it.apps.shapes.ThreadShapesApp;
import dev.virgo.it.harness.Jdk;
import dev.virgo.it.harness.JvmProcess;
import dev.virgo.it.harness.Virgo;
import dev.virgo.it.harness.VirgoTestLogs;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract of a moved thread, checked end to end with an origin and two local node JVMs. */
@ExtendWith(VirgoTestLogs.class)
class ThreadContractIT
{
    static List<Jdk> jdks()
    {
        return Jdk.available();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldMoveEveryKindOfThreadButPoolThreads(final Jdk jdk)
    {
        final JvmProcess origin = Virgo.origin(jdk, "offload=dev.virgo.it.apps.shapes.*", ThreadShapesApp.class);
        final String output = Virgo.assertSucceeded(origin);
        Virgo.assertChecks(output, "constructor-0-moved", "constructor-1-moved", "constructor-2-moved",
            "constructor-3-moved", "constructor-4-moved", "constructor-5-moved", "inner-class-moved",
            "inner-class-wrote-through-enclosing-instance", "anonymous-subclass-moved",
            "anonymous-subclass-read-captured-values", "anonymous-runnable-moved",
            "anonymous-runnable-read-captured-values",
            "lambda-moved", "method-reference-moved", "start-in-constructor-moved", "offload-annotation-moved",
            "pool-thread-stays");
        Virgo.assertNothingLeftOf(origin.pid(), Duration.ofSeconds(20));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldKeepTheStartJoinContract(final Jdk jdk)
    {
        final JvmProcess origin = Virgo.origin(jdk, "offload=dev.virgo.it.apps.ContractApp", ContractApp.class);
        final String output = Virgo.assertSucceeded(origin);
        Virgo.assertChecks(output, "moved", "statics-as-of-start-or-later", "disjoint-writes-land", "untouched-field-kept",
            "changed-field-written-back", "static-array-elements-written-back", "static-not-written-by-thread-kept",
            "large-graph-round-trip", "state-new-before-start", "timed-join-returns-while-running",
            "remote-state-reported", "interrupt-reaches-remote-thread", "state-terminated-after-join",
            "name-carried-to-node", "sleeper-moved", "static-field-written-back",
            "class-loaded-from-origin-on-demand");
        final StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 50; i++)
        {
            lines.append("remote line ").append(i).append(System.lineSeparator());
        }
        assertTrue(output.contains(lines), "remote System.out lines arrive in order, before join() returns");
        assertTrue(output.contains("remote error line"), "remote System.err arrives");
        assertTrue(output.indexOf("remote line 49") < output.indexOf("after printer"), "output before join");
        Virgo.assertNothingLeftOf(origin.pid(), Duration.ofSeconds(20));
    }
}
