package dev.virgo.it;

import dev.virgo.it.apps.refusals.AssertingWorkerApp;
import dev.virgo.it.apps.refusals.DelayQueueApp;
import dev.virgo.it.apps.refusals.PlainWorkersApp;
import dev.virgo.it.apps.refusals.TariffTableApp;
import dev.virgo.it.harness.Jdk;
import dev.virgo.it.harness.JvmProcess;
import dev.virgo.it.harness.Virgo;
import dev.virgo.it.harness.VirgoTestLogs;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A thread that synchronizes with other threads in a way moved threads do not share yet (a DelayQueue, statics
 * that cannot travel) must not move: with
 * {@code fallback=local} the program gives the answer it gives without the agent, the thread runs in the origin's JVM,
 * and one warning names the class and the reason; with {@code fallback=fail} its {@code start()} throws, naming them.
 * Ordinary fork/join workers keep moving. Monitors, wait/notify, volatiles, atomics, locks, latches, barriers,
 * semaphores, phasers and the JDK's concurrent collections are shared: SharedObjectsIT, ConcurrentObjectsIT.
 */
@ExtendWith(VirgoTestLogs.class)
class RefusalIT
{
    private static final String AGENT_ARGS = "offload=dev.virgo.it.apps.refusals.*,localNodes=1";

    static List<Jdk> jdks()
    {
        return Jdk.available();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldNotResetAStaticTableWhoseClassHoldsALogger(final Jdk jdk)
    {
        final String tariffs = nested(TariffTableApp.class, "Tariffs");
        assertRefused(jdk, TariffTableApp.class, nested(TariffTableApp.class, "Biller"),
            List.of("answer", "ran-locally"),
            "static " + tariffs + ".LOG holds java.util.logging.Logger", tariffs + ".centsPerUnit");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldNotMoveAProducerFeedingADelayQueue(final Jdk jdk)
    {
        assertRefused(jdk, DelayQueueApp.class, nested(DelayQueueApp.class, "Producer"),
            List.of("answer-0", "ran-locally-0", "answer-1", "ran-locally-1"),
            "holds java.util.concurrent.DelayQueue", "a blocking queue other than");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldStillMoveForkJoinWorkersBesideStaticsTheirCodeDoesNotUse(final Jdk jdk)
    {
        final String output = Virgo.assertSucceeded(Virgo.origin(jdk, AGENT_ARGS, PlainWorkersApp.class));
        Virgo.assertChecks(output, "sums", "summers-moved", "greeting", "greeter-moved", "counter-kept");
        assertFalse(output.contains("WARNING"), "no warning: nothing was refused");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldKeepAssertionsOffInAMovedThreadWhoseClassStaticsTravel(final Jdk jdk)
    {
        final String output = Virgo.assertSucceeded(Virgo.origin(jdk, AGENT_ARGS, AssertingWorkerApp.class));
        Virgo.assertChecks(output, "assertions-off-here", "answer", "moved");
        assertFalse(output.contains("AssertionError"), "no assertion ran in the moved thread");
    }

    /**
     * Runs the app twice: with {@code fallback=local} it must print its {@code CHECK}s (the answer it gives without
     * the agent, computed in the origin's JVM) and exactly one warning for {@code refused} that holds every part of
     * the reason; with {@code fallback=fail} it must die at {@code start()} with a VirgoException saying the same.
     *
     * @return the output of the {@code fallback=local} run.
     */
    private static String assertRefused(
        final Jdk jdk, final Class<?> app, final String refused, final List<String> checks, final String... reason)
    {
        final String output = Virgo.assertSucceeded(Virgo.origin(jdk, AGENT_ARGS, app));
        Virgo.assertChecks(output, checks.toArray(new String[0]));
        final List<String> warnings = linesWith(output, "WARNING: " + refused + " runs locally: ");
        assertEquals(1, warnings.size(), "one warning for " + refused + ": " + warnings);
        for (final String part : reason)
        {
            assertTrue(warnings.get(0).contains(part), "the warning says '" + part + "': " + warnings.get(0));
        }

        final JvmProcess failing = Virgo.origin(jdk, AGENT_ARGS + ",fallback=fail", app);
        final int code = failing.awaitExit(Virgo.EXIT_TIMEOUT);
        final String failed = failing.output();
        assertNotEquals(0, code, "main died of the exception start() threw");
        final List<String> errors = linesWith(failed, "dev.virgo.api.VirgoException: cannot move thread");
        assertEquals(1, errors.size(), "start() threw: " + failed);
        assertTrue(errors.get(0).contains(refused) && errors.get(0).contains("[fallback=fail]"),
            "the exception names the class and the setting: " + errors.get(0));
        for (final String part : reason)
        {
            assertTrue(errors.get(0).contains(part), "the exception says '" + part + "': " + errors.get(0));
        }
        assertFalse(failed.contains("CHECK answer"), "the program stopped at start()");
        return output;
    }

    /** The binary name of a class nested in an app (the apps' classes are package-private, as in real programs). */
    private static String nested(final Class<?> app, final String simpleName)
    {
        return app.getName() + "$" + simpleName;
    }

    private static List<String> linesWith(final String output, final String text)
    {
        final List<String> found = new ArrayList<>();
        for (final String line : output.split("\\R"))
        {
            if (line.contains(text))
            {
                found.add(line);
            }
        }
        return found;
    }
}
