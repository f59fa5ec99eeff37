package dev.virgo.it;

import dev.virgo.it.apps.identity.ThreadIdentityApp;
import dev.virgo.it.harness.Jdk;
import dev.virgo.it.harness.JvmProcess;
import dev.virgo.it.harness.Virgo;
import dev.virgo.it.harness.VirgoTestLogs;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inside a moved thread, the thread object the code sees is the thread the program started, not the node's carrier
 * nor an inert copy: {@code while (!isInterrupted())} in a {@code Thread} subclass and
 * {@code Thread.currentThread().isInterrupted()} in a {@code Runnable} end on an {@code interrupt()} at the origin;
 * {@code Thread.currentThread() == this}; name, id (the origin's), priority, daemon flag, {@code isAlive()},
 * {@code getState()}, thread locals, {@code getStackTrace()}, the uncaught-exception handler (the origin's one gets
 * what the thread hands it); and a helper thread the moved thread starts on its node sees it alive, then waiting in
 * its {@code join()}.
 */
@ExtendWith(VirgoTestLogs.class)
class ThreadIdentityIT
{
    static List<Jdk> jdks()
    {
        return Jdk.available();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldAnswerAsTheMovedThreadInsideIt(final Jdk jdk)
    {
        final JvmProcess origin = Virgo.origin(jdk, "offload=dev.virgo.it.apps.identity.ThreadIdentityApp*",
            ThreadIdentityApp.class);
        final String output = Virgo.assertSucceeded(origin);
        Virgo.assertChecks(output,
            "looper-reached-its-loop", "looper-ended-by-interrupt", "looper-moved", "looper-saw-its-interrupt",
            "looper-current-thread-is-this", "looper-name", "looper-id", "looper-priority", "looper-daemon",
            "looper-alive", "looper-state", "looper-thread-locals", "looper-stack-trace", "looper-own-handler",
            "looper-handler-reached",
            "spinner-reached-its-loop", "spinner-ended-by-interrupt", "spinner-moved", "spinner-saw-its-interrupt",
            "spinner-current-thread-stable", "spinner-name", "spinner-id", "spinner-priority", "spinner-not-daemon",
            "spinner-alive", "spinner-state", "spinner-default-handler", "spinner-thread-local",
            "joiner-moved", "joiner-helper-ended", "joiner-alive-to-its-helper", "joiner-waiting-to-its-helper");
        assertTrue(output.contains("DONE"), "main ran to its end");
        Virgo.assertNothingLeftOf(origin.pid(), Duration.ofSeconds(20));
    }
}
