package dev.virgo.it;

import dev.virgo.it.apps.trust.OfferedClassesApp;
import dev.virgo.it.harness.Jdk;
import dev.virgo.it.harness.Virgo;
import dev.virgo.it.harness.VirgoTestLogs;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

/**
 * A node gets from the origin only what the origin offered its threads: a class file its threads' code does not name
 * is refused (the node's ClassNotFoundException says why), and a final state naming a class the origin did not offer
 * is refused with the error handed to the thread's handler and nothing written back, as is a release made at a monitor
 * exit (which the node does not wait for: the thread's next synchronization throws); the origin keeps serving.
 */
@ExtendWith(VirgoTestLogs.class)
class OfferedClassesIT
{
    static List<Jdk> jdks()
    {
        return Jdk.available();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldServeAndDecodeOnlyOfferedClassesAndKeepServing(final Jdk jdk)
    {
        final String output = Virgo.assertSucceeded(
            Virgo.origin(jdk, "offload=dev.virgo.it.apps.trust.*,localNodes=1", OfferedClassesApp.class));

        Virgo.assertChecks(output, "prober-moved", "class-refused", "final-state-refused", "nothing-merged",
            "release-refused", "nothing-published", "still-serving");
    }
}
