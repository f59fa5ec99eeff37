package dev.virgo.it;

import dev.virgo.it.apps.wrappers.WrapperCollectionsApp;
import dev.virgo.it.harness.Jdk;
import dev.virgo.it.harness.JvmProcess;
import dev.virgo.it.harness.Virgo;
import dev.virgo.it.harness.VirgoTestLogs;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Collections.unmodifiableList views, a Collections.synchronizedMap two moved workers and main write, and EnumMap
 * counts travel as what they are and every writer's change lands at join; a thread keeping a map's key set view
 * runs locally with one warning naming the field.
 */
@ExtendWith(VirgoTestLogs.class)
class WrapperCollectionsIT
{
    static List<Jdk> jdks()
    {
        return Jdk.available();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldMoveWorkersHoldingWrappedCollectionsAndMergeEveryWritersChange(final Jdk jdk)
    {
        final JvmProcess origin = Virgo.origin(jdk, "offload=dev.virgo.it.apps.wrappers.*", WrapperCollectionsApp.class);
        final String output = Virgo.assertSucceeded(origin);
        Virgo.assertChecks(output,
            "workers-moved", "unmodifiable-view-followed-writes-on-the-node", "unmodifiable-view-shows-results-after-join",
            "synchronized-map-keeps-every-put", "enum-map-counts", "map-view-runs-locally");
        assertTrue(output.contains("DONE"), "main ran to its end");

        final List<String> warnings = output.lines().filter(line -> line.contains("WARNING")).toList();
        assertEquals(1, warnings.size(), "one warning, for the thread holding a view: " + warnings);
        assertTrue(warnings.get(0).contains("KeyCounter.keys holds java.util.HashMap$KeySet"), warnings.get(0));
    }
}
