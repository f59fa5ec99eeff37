package dev.virgo.it;

import dev.virgo.it.apps.captured.CapturedStateApp;
import dev.virgo.it.harness.Jdk;
import dev.virgo.it.harness.JvmProcess;
import dev.virgo.it.harness.Virgo;
import dev.virgo.it.harness.VirgoTestLogs;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Anonymous and inner classes keep what they captured when their thread moves (issue 8, item 1). */
@ExtendWith(VirgoTestLogs.class)
class CapturedStateIT
{
    static List<Jdk> jdks()
    {
        return Jdk.available();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldCarryCapturedLocalsAndTheEnclosingInstanceAndWriteBackThroughThem(final Jdk jdk)
    {
        final JvmProcess origin = Virgo.origin(jdk, "offload=dev.virgo.it.apps.captured.*", CapturedStateApp.class);
        final String output = Virgo.assertSucceeded(origin);
        Virgo.assertChecks(output,
            "anonymous-runnable-moved", "anonymous-runnable-read-captured-local-and-outer-field",
            "inner-runnable-moved", "inner-runnable-wrote-outer-field",
            "anonymous-thread-subclass-moved", "anonymous-thread-subclass-read-captured-values",
            "unshippable-outer-runs-locally");
        assertTrue(output.contains("DONE"), "main ran to its end");
        final boolean warned = output.lines().anyMatch(line -> line.contains("WARNING") &&
            line.contains(CapturedStateApp.class.getName() + "$Connection$1") && line.contains("runs locally") &&
            line.contains("this$0") && line.contains("java.net.Socket"));
        assertTrue(warned, "one warning names the anonymous class, the path through this$0 and the socket");
    }
}
