package dev.virgo.it;

import dev.virgo.it.apps.containers.ContainerMergeApp;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JDK containers written by two moved threads and by main between start() and join() keep every writer's
 * change; a real conflict is won by the thread merged last and said once (issue 8, item 2).
 */
@ExtendWith(VirgoTestLogs.class)
class ContainerMergeIT
{
    private static final Pattern WINNER = Pattern.compile("CONFLICT-WINNER (conflict-[12])");

    static List<Jdk> jdks()
    {
        return Jdk.available();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldMergeWhatEachThreadChangedAndWarnOnceOnARealConflict(final Jdk jdk)
    {
        final JvmProcess origin = Virgo.origin(jdk, "offload=dev.virgo.it.apps.containers.*", ContainerMergeApp.class);
        final String output = Virgo.assertSucceeded(origin);
        Virgo.assertChecks(output,
            "map-putters-moved", "concurrent-map-keeps-every-put",
            "set-adders-moved", "hash-set-keeps-every-add",
            "list-appenders-moved", "array-list-keeps-every-append",
            "remover-moved", "removal-lands-beside-mains-writes",
            "conflicting-putters-moved", "conflict-keeps-both-own-keys");
        assertTrue(output.contains("DONE"), "main ran to its end");

        final Matcher winner = WINNER.matcher(output);
        assertTrue(winner.find(), "the app printed who won the conflict");
        final List<String> warnings = output.lines().filter(line -> line.contains("WARNING")).toList();
        assertEquals(1, warnings.size(), "one warning, for the one conflict: " + warnings);
        final String warning = warnings.get(0);
        assertTrue(warning.contains("thread '" + winner.group(1) + "'"),
            "names the thread whose write was kept: " + warning);
        assertTrue(warning.contains("java.util.HashMap key \"shared\""),
            "names the container class and the key: " + warning);
        assertTrue(warning.contains("last writer wins"), warning);
    }
}
