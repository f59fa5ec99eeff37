package dev.virgo.it;

import dev.virgo.it.apps.FallbackApp;
import dev.virgo.it.apps.ImagesApp;
import dev.virgo.it.apps.IsolationApp;
import dev.virgo.it.apps.LifetimeApp;
import dev.virgo.it.apps.NodeLossApp;
import dev.virgo.it.apps.UncaughtApp;
import dev.virgo.it.harness.Jdk;
import dev.virgo.it.harness.JvmProcess;
import dev.virgo.it.harness.Virgo;
import dev.virgo.it.harness.VirgoTestLogs;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exceptions, JVM lifetime, fallback, carrier hygiene and clean-up of the embedded default. */
@ExtendWith(VirgoTestLogs.class)
class LifecycleIT
{
    static List<Jdk> jdks()
    {
        return Jdk.available();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldDeliverRemoteExceptionsToTheOriginsHandler(final Jdk jdk)
    {
        final JvmProcess origin = Virgo.origin(jdk, "offload=dev.virgo.it.apps.UncaughtApp", UncaughtApp.class);
        final String output = Virgo.assertSucceeded(origin);
        Virgo.assertChecks(output, "handler-ran-before-join-returned", "same-exception-class", "same-message",
            "handler-got-the-thread", "remote-stack-trace", "node-named", "writes-before-the-exception-kept");
        assertTrue(output.contains("Exception in thread \"unhandled\" java.lang.IllegalStateException: boom on purpose"),
            "the default handler prints it");
        assertTrue(output.contains("thrown in moved thread 'unhandled' on node-"), "naming the node");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldNotKeepTheOriginAliveForADaemonMovedThread(final Jdk jdk)
    {
        final JvmProcess origin = Virgo.origin(jdk, "offload=dev.virgo.it.apps.LifetimeApp", LifetimeApp.class,
            "daemon");
        final String output = Virgo.assertSucceeded(origin);
        assertTrue(output.contains("worker is TIMED_WAITING"), "the daemon thread was asleep on its node");
        assertTrue(output.contains("worker started") && output.contains("main finished"));
        assertTrue(!output.contains("worker finished"), "the origin exited while it slept");
        Virgo.assertNothingLeftOf(origin.pid(), Duration.ofSeconds(20));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldKeepTheOriginAliveUntilANonDaemonMovedThreadEnds(final Jdk jdk)
    {
        final JvmProcess origin = Virgo.origin(jdk, "offload=dev.virgo.it.apps.LifetimeApp", LifetimeApp.class,
            "non-daemon");
        final String output = Virgo.assertSucceeded(origin);
        assertTrue(output.indexOf("main finished") < output.indexOf("worker finished") &&
            output.contains("worker finished"), "the JVM waited for the moved thread after main ended");
        Virgo.assertNothingLeftOf(origin.pid(), Duration.ofSeconds(20));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldRunLocallyWithOneWarningWhenNoNodeCanTakeTheThread(final Jdk jdk)
    {
        final JvmProcess origin = Virgo.origin(jdk, "offload=dev.virgo.it.apps.FallbackApp,localNodes=0",
            FallbackApp.class);
        final String output = Virgo.assertSucceeded(origin);
        assertTrue(output.contains("CHECK ran-locally-2 ok"));
        final Matcher warnings = Pattern.compile("WARNING: dev.virgo.it.apps.FallbackApp\\$Task runs locally: " +
            "no node is available").matcher(output);
        int count = 0;
        while (warnings.find())
        {
            count++;
        }
        assertEquals(1, count, "one warning naming the class and the reason");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldFailStartWhenNoNodeCanTakeTheThreadAndFallbackIsFail(final Jdk jdk)
    {
        final JvmProcess origin = Virgo.origin(jdk,
            "offload=dev.virgo.it.apps.FallbackApp,localNodes=0,fallback=fail", FallbackApp.class, "expect-failure");
        final String output = Virgo.assertSucceeded(origin);
        assertTrue(output.contains("CHECK start-failed-0 ok") && output.contains("CHECK thread-not-started-0 ok"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldLeaveNothingOfOneMovedThreadOnTheCarrierOfTheNext(final Jdk jdk)
    {
        final JvmProcess origin = Virgo.origin(jdk, "offload=dev.virgo.it.apps.IsolationApp,localNodes=1",
            IsolationApp.class);
        final String output = Virgo.assertSucceeded(origin);
        Virgo.assertChecks(output, "inspector-moved", "context-loader-is-the-threads-own", "no-interrupt-leak",
            "own-name", "own-priority", "no-handler-leak");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldLeaveNothingRunningOrInDevShmWhenTheOriginIsKilled(final Jdk jdk)
    {
        final JvmProcess origin = Virgo.origin(jdk, "offload=dev.virgo.it.apps.LifetimeApp", LifetimeApp.class,
            "hold");
        origin.awaitOutput("holding", Duration.ofSeconds(60));
        assertTrue(!Virgo.nodesOf(origin.pid()).isEmpty(), "local nodes run while the origin does");
        origin.kill();
        Virgo.assertNothingLeftOf(origin.pid(), Duration.ofSeconds(30));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldReportALostNodeToTheHandlerOfItsThreads(final Jdk jdk)
    {
        final JvmProcess origin = Virgo.origin(jdk, "offload=dev.virgo.it.apps.NodeLossApp,localNodes=1",
            NodeLossApp.class);
        origin.awaitOutput("sleeping remotely", Duration.ofSeconds(60));
        final List<ProcessHandle> nodes = Virgo.nodesOf(origin.pid());
        assertEquals(1, nodes.size(), "one local node");
        nodes.get(0).destroyForcibly();
        final String output = Virgo.assertSucceeded(origin);
        assertTrue(output.contains("CHECK node-loss-reported ok") && output.contains("CHECK not-alive-after-loss ok"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldShareOneImageAmongThreadsThatCarryNoStatics(final Jdk jdk)
    {
        final JvmProcess origin = Virgo.origin(jdk,
            "offload=dev.virgo.it.apps.StaticsFreeTask,dev.virgo.it.apps.CarriesStaticsTask,localNodes=1",
            ImagesApp.class);
        final String output = Virgo.assertSucceeded(origin);
        Virgo.assertChecks(output, "statics-free-threads-share-an-image",
            "thread-with-statics-has-its-own-image", "statics-travelled");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldRefuseAGraphOverTheLimitNamingTheLimit(final Jdk jdk)
    {
        final JvmProcess origin = Virgo.origin(jdk, "offload=dev.virgo.it.apps.FallbackApp,maxGraphBytes=16",
            FallbackApp.class);
        final String output = Virgo.assertSucceeded(origin);
        assertTrue(output.contains("CHECK ran-locally-0 ok"), "the thread ran, locally");
        assertTrue(output.contains("WARNING: dev.virgo.it.apps.FallbackApp$Task runs locally: ") &&
            output.contains("maxGraphBytes=16"), "the warning names the limit");
    }
}
