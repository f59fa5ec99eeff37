package dev.virgo.it;

import dev.virgo.it.apps.lifecycle.TimedJoinApp;
import dev.virgo.it.harness.Jdk;
import dev.virgo.it.harness.JvmProcess;
import dev.virgo.it.harness.Virgo;
import dev.virgo.it.harness.VirgoTestLogs;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

/**
 * The origin's side of a moved thread's life: what it keeps after the thread ended, how joins wait, that a thread
 * always ends however its completion fails, and how nodes get classes from the origin.
 */
@ExtendWith(VirgoTestLogs.class)
class OriginLifecycleIT
{
    static List<Jdk> jdks()
    {
        return Jdk.available();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldReturnFromATimedJoinOnTimeWhileAnotherThreadJoins(final Jdk jdk)
    {
        final JvmProcess origin = Virgo.origin(jdk,
            "offload=dev.virgo.it.apps.lifecycle.TimedJoinApp$Sleeper,localNodes=1", TimedJoinApp.class);
        final String output = Virgo.assertSucceeded(origin);
        Virgo.assertChecks(output, "timed-join-returns-on-time-while-another-joins", "still-alive-after-timed-join",
            "timed-join-returns-on-time-while-five-join", "joins-wait-while-it-runs",
            "every-join-returns-after-the-end", "every-joiner-sees-the-write-back", "sleeper-moved");
    }
}
