package dev.virgo.it;

import dev.virgo.it.apps.refusals.SharedAtomicApp;
import dev.virgo.it.apps.refusals.StaticBarrierApp;
import dev.virgo.it.apps.refusals.StaticCounterApp;
import dev.virgo.it.harness.Jdk;
import dev.virgo.it.harness.Virgo;
import dev.virgo.it.harness.VirgoTestLogs;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The programs that used to keep their threads local because they share java.util.concurrent objects (a static atomic
 * counter handing out tasks, a static barrier, an atomic field), now moved with one node: each must give its answer
 * with its workers on the node, and no warning. (SharedObjectsIT runs the corpus of such idioms on two nodes.)
 */
@ExtendWith(VirgoTestLogs.class)
class ConcurrentObjectsIT
{
    private static final String AGENT_ARGS = "offload=dev.virgo.it.apps.refusals.*,localNodes=1";

    static List<Jdk> jdks()
    {
        return Jdk.available();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldMoveWorkersSharingAStaticAtomicCounter(final Jdk jdk)
    {
        assertMovedWithTheAnswer(jdk, StaticCounterApp.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldMoveWorkersMeetingAtAStaticBarrier(final Jdk jdk)
    {
        assertMovedWithTheAnswer(jdk, StaticBarrierApp.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldMoveThreadsSharingAnAtomicField(final Jdk jdk)
    {
        assertMovedWithTheAnswer(jdk, SharedAtomicApp.class);
    }

    private static void assertMovedWithTheAnswer(final Jdk jdk, final Class<?> app)
    {
        final String output = Virgo.assertSucceeded(Virgo.origin(jdk, AGENT_ARGS, app));
        Virgo.assertChecks(output, "answer", "moved");
        assertFalse(output.contains("runs locally"), "no thread stays local: " + output);
    }
}
