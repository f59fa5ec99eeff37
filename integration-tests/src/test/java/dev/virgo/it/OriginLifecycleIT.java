package dev.virgo.it;

import dev.virgo.it.apps.lifecycle.CompletionFailureApp;
import dev.virgo.it.apps.lifecycle.FreedGraphsApp;
import dev.virgo.it.apps.lifecycle.LateLoadApp;
import dev.virgo.it.apps.lifecycle.TimedJoinApp;
import dev.virgo.it.apps.lifecycle.TwinLoadersApp;
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
    void shouldFreeAFinishedThreadsGraphOnceItIsJoinedAndDropped(final Jdk jdk)
    {
        final JvmProcess origin = Virgo.origin(jdk, "offload=dev.virgo.it.apps.lifecycle.FreedGraphsApp,localNodes=1",
            FreedGraphsApp.class);
        final String output = Virgo.assertSucceeded(origin);
        Virgo.assertChecks(output, "payload-threads-moved", "payload-writes-merged", "finished-threads-collected",
            "finished-graphs-freed", "kept-thread-moved", "kept-thread-terminated", "kept-thread-not-alive",
            "kept-thread-not-interrupted", "kept-thread-join-returns-at-once", "kept-thread-cannot-start-again");
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldEndTheThreadAndTellTheHandlerWhenItsCompletionFails(final Jdk jdk)
    {
        final JvmProcess origin = Virgo.origin(jdk,
            "offload=dev.virgo.it.apps.lifecycle.CompletionFailureApp,localNodes=1", CompletionFailureApp.class);
        final String output = Virgo.assertSucceeded(origin);
        Virgo.assertChecks(output, "join-returns-when-the-write-back-fails", "write-back-failure-reaches-the-handler",
            "join-returns-when-what-it-threw-cannot-be-rebuilt",
            "exception-reaches-the-handler-without-what-cannot-be-rebuilt");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldGiveEachClassLoadersOwnClassToItsThreadsOnOneNode(final Jdk jdk)
    {
        final JvmProcess origin = Virgo.origin(jdk,
            "offload=dev.virgo.it.apps.lifecycle.TwinPlugin,localNodes=1", TwinLoadersApp.class);
        final String output = Virgo.assertSucceeded(origin);
        Virgo.assertChecks(output, "two-classes-of-one-name", "plugin-threads-moved", "plugin-threads-shared-a-node",
            "plugin-a-ran-its-own-class", "plugin-b-ran-its-own-class");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldAnswerAClassRequestPromptlyAfterTheRequestingThreadEnded(final Jdk jdk)
    {
        final JvmProcess origin = Virgo.origin(jdk,
            "offload=dev.virgo.it.apps.lifecycle.LateLoadApp,localNodes=1", LateLoadApp.class);
        final String output = Virgo.assertSucceeded(origin);
        Virgo.assertChecks(output, "starter-moved", "bystanders-moved-to-the-same-node", "late-class-loaded-promptly",
            "missing-class-not-found-promptly", "not-a-class-name-refused-promptly-saying-why",
            "late-loader-ran-on-the-node");
    }
}
