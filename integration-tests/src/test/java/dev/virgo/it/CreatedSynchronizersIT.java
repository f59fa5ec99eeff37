package dev.virgo.it;

import dev.virgo.it.apps.wrappers.CreatedSynchronizersApp;
import dev.virgo.it.harness.Jdk;
import dev.virgo.it.harness.JvmProcess;
import dev.virgo.it.harness.Virgo;
import dev.virgo.it.harness.VirgoTestLogs;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An atomic and a lock a moved thread created in run() come back at join, by value; a lock it still holds at its
 * end is an error its handler receives, and join returns.
 */
@ExtendWith(VirgoTestLogs.class)
class CreatedSynchronizersIT
{
    private static final Pattern ORIGIN = Pattern.compile("ORIGIN-PID (\\d+)");
    private static final Pattern HOLDER = Pattern.compile("HOLDER-PID (\\d+)");

    static List<Jdk> jdks()
    {
        return Jdk.available();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldBringBackTheAtomicsAndLocksAThreadCreated(final Jdk jdk)
    {
        final JvmProcess origin = Virgo.origin(jdk, "offload=dev.virgo.it.apps.wrappers.*", CreatedSynchronizersApp.class);
        final String output = Virgo.assertSucceeded(origin);
        Virgo.assertChecks(output,
            "tally-moved", "created-counter-came-back", "created-lock-came-back-unlocked", "held-lock-reaches-the-handler-or-stays-held");
        assertTrue(output.contains("DONE"), "main ran to its end");

        final Matcher originPid = ORIGIN.matcher(output);
        final Matcher holderPid = HOLDER.matcher(output);
        assertTrue(originPid.find() && holderPid.find(), "both pids printed: " + output);
        assertNotEquals(originPid.group(1), holderPid.group(1), "the holder ran on a node");
    }
}
