package dev.virgo.it;

import dev.virgo.it.apps.sharing.AccumulatorApp;
import dev.virgo.it.apps.sharing.ArrayBlockingQueueApp;
import dev.virgo.it.apps.sharing.AtomicArrayApp;
import dev.virgo.it.apps.sharing.AtomicWorkApp;
import dev.virgo.it.apps.sharing.BoundedBufferApp;
import dev.virgo.it.apps.sharing.ConcurrentQueueHandOffApp;
import dev.virgo.it.apps.sharing.ConcurrentWordCountApp;
import dev.virgo.it.apps.sharing.ConcurrentWorkQueueApp;
import dev.virgo.it.apps.sharing.CyclicBarrierApp;
import dev.virgo.it.apps.sharing.DaemonWorkersApp;
import dev.virgo.it.apps.sharing.ExchangerApp;
import dev.virgo.it.apps.sharing.FieldUpdaterApp;
import dev.virgo.it.apps.sharing.HandOffWorkersApp;
import dev.virgo.it.apps.sharing.InterruptedAwaitApp;
import dev.virgo.it.apps.sharing.InterruptedWaitApp;
import dev.virgo.it.apps.sharing.LatchApp;
import dev.virgo.it.apps.sharing.LauncherApp;
import dev.virgo.it.apps.sharing.LinkedBlockingQueueApp;
import dev.virgo.it.apps.sharing.LockConditionApp;
import dev.virgo.it.apps.sharing.LockFreeStackApp;
import dev.virgo.it.apps.sharing.LockedCounterApp;
import dev.virgo.it.apps.sharing.LockedReductionApp;
import dev.virgo.it.apps.sharing.MessagePassingApp;
import dev.virgo.it.apps.sharing.MonitorBarrierApp;
import dev.virgo.it.apps.sharing.NestedMonitorsApp;
import dev.virgo.it.apps.sharing.PhaserApp;
import dev.virgo.it.apps.sharing.RacyPollApp;
import dev.virgo.it.apps.sharing.ReadWriteLockApp;
import dev.virgo.it.apps.sharing.RedBlackStencilApp;
import dev.virgo.it.apps.sharing.SemaphoreApp;
import dev.virgo.it.apps.sharing.SiblingWorkersApp;
import dev.virgo.it.apps.sharing.SpinBarrierApp;
import dev.virgo.it.apps.sharing.StampedLockApp;
import dev.virgo.it.apps.sharing.StaticSynchronizedApp;
import dev.virgo.it.apps.sharing.SynchronizedMethodsApp;
import dev.virgo.it.apps.sharing.ThreadMasterApp;
import dev.virgo.it.apps.sharing.TimedWaitApp;
import dev.virgo.it.apps.sharing.VarHandleApp;
import dev.virgo.it.apps.sharing.VolatileFlagApp;
import dev.virgo.it.apps.sharing.VolatileStaticFlagApp;
import dev.virgo.it.apps.sharing.WorkQueueApp;
import dev.virgo.it.harness.Jdk;
import dev.virgo.it.harness.JvmProcess;
import dev.virgo.it.harness.Virgo;
import dev.virgo.it.harness.VirgoTestLogs;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 9's corpus: each program of {@code apps/sharing} (one idiom of ordinary multithreaded Java) gives, with the
 * agent on the embedded default (two local nodes), the result it gives without the agent, on every JDK. A program
 * marked as moving must also have run every worker on a node, with no warning that a thread stays local; one not
 * (yet) marked must say, in Virgo's warning, why its threads stayed local.
 *
 * <p>Each program prints one {@code RESULT} line (the answer, including its own proof that its workers overlapped)
 * and one {@code RAN worker pid} line per worker; see {@code apps/sharing/package-info.java}.
 */
@ExtendWith(VirgoTestLogs.class)
class SharedObjectsIT
{
    /**
     * The corpus, and which programs must have their workers moved. The lead flips {@code local} to {@code moving} as
     * each idiom becomes supported: a moving program fails here if any worker stayed in the origin.
     */
    static final List<Program> CORPUS = List.of(
        moving(LockedCounterApp.class),
        moving(SynchronizedMethodsApp.class),
        moving(StaticSynchronizedApp.class),
        moving(NestedMonitorsApp.class),
        moving(BoundedBufferApp.class),
        moving(TimedWaitApp.class),
        moving(VolatileFlagApp.class),
        moving(VolatileStaticFlagApp.class),
        moving(MessagePassingApp.class),
        moving(MonitorBarrierApp.class),
        moving(SpinBarrierApp.class),
        moving(RacyPollApp.class),
        moving(RedBlackStencilApp.class),
        moving(WorkQueueApp.class),
        moving(LockedReductionApp.class),
        moving(AtomicWorkApp.class),
        moving(CyclicBarrierApp.class),
        moving(LockConditionApp.class),
        moving(LatchApp.class),
        moving(SemaphoreApp.class),
        moving(LinkedBlockingQueueApp.class),
        moving(ArrayBlockingQueueApp.class),
        moving(ConcurrentWordCountApp.class),
        // Only the workers are chosen: the master thread runs in the origin, an object the workers share.
        moving(ThreadMasterApp.class, ThreadMasterApp.class.getName() + "$Worker"),
        moving(SiblingWorkersApp.class),
        moving(DaemonWorkersApp.class),
        moving(ReadWriteLockApp.class),
        moving(PhaserApp.class),
        moving(AtomicArrayApp.class),
        moving(HandOffWorkersApp.class),
        moving(InterruptedWaitApp.class),
        moving(ConcurrentQueueHandOffApp.class),
        moving(ConcurrentWorkQueueApp.class),
        moving(InterruptedAwaitApp.class),
        moving(StampedLockApp.class),
        moving(ExchangerApp.class),
        moving(LockFreeStackApp.class),
        moving(AccumulatorApp.class),
        moving(FieldUpdaterApp.class),
        moving(VarHandleApp.class),
        moving(LauncherApp.class, LauncherApp.class.getName() + "*"));

    /** One program of the corpus: its main class, the agent's {@code offload=} for it, and whether its workers move. */
    record Program(Class<?> app, String offload, boolean moves)
    {
        @Override
        public String toString()
        {
            return app.getSimpleName();
        }
    }

    static Stream<Arguments> runs()
    {
        final List<Arguments> runs = new ArrayList<>();
        for (final Program program : CORPUS)
        {
            for (final Jdk jdk : Jdk.available())
            {
                runs.add(Arguments.of(program, jdk));
            }
        }
        return runs.stream();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("runs")
    void shouldGiveTheResultOfItsPlainRunWithItsWorkersMoved(final Program program, final Jdk jdk)
    {
        // Both at once: the plain run is the expected answer, and costs no wall time beside the origin's start-up.
        final JvmProcess plain = plain(jdk, program.app());
        final JvmProcess origin = Virgo.origin(jdk, "offload=" + program.offload(), program.app());

        final String plainOutput = Virgo.assertSucceeded(plain);
        final String expected = resultLine(plain.name(), plainOutput);
        final Map<String, Long> plainWorkers = workers(plain.name(), plainOutput);
        for (final Map.Entry<String, Long> worker : plainWorkers.entrySet())
        {
            assertEquals(plain.pid(), worker.getValue(), "without the agent, " + worker.getKey() + " ran in main's JVM");
        }

        final String output = Virgo.assertSucceeded(origin);
        assertEquals(expected, resultLine(origin.name(), output), "the result of the run without the agent");
        final Map<String, Long> ranIn = workers(origin.name(), output);
        assertEquals(plainWorkers.keySet(), ranIn.keySet(), "the same workers reported where they ran");

        final List<String> keptLocal = linesWith(output, "runs locally: ");
        if (program.moves())
        {
            for (final Map.Entry<String, Long> worker : ranIn.entrySet())
            {
                assertTrue(worker.getValue() != origin.pid() && worker.getValue() != 0,
                    worker.getKey() + " must run on a node, but it ran in pid " + worker.getValue() + " (the origin is " +
                    origin.pid() + "); Virgo's warnings: " + keptLocal);
            }
            assertTrue(keptLocal.isEmpty(), "no thread stays local: " + keptLocal);
        }
        else
        {
            assertFalse(keptLocal.isEmpty(), "not moving yet, so Virgo's warning says why a thread stays local");
        }
    }

    private static Program moving(final Class<?> app)
    {
        return new Program(app, app.getName(), true);
    }

    private static Program moving(final Class<?> app, final String offload)
    {
        return new Program(app, offload, true);
    }

    private static Program local(final Class<?> app)
    {
        return new Program(app, app.getName(), false);
    }

    private static Program local(final Class<?> app, final String offload)
    {
        return new Program(app, offload, false);
    }

    /** The program without the agent: its result is the answer the run with the agent must give. */
    private static JvmProcess plain(final Jdk jdk, final Class<?> mainClass)
    {
        return JvmProcess.start("plain-" + mainClass.getSimpleName(), List.of(
            jdk.java().toString(), "-cp",
            Virgo.TEST_CLASSES.toAbsolutePath() + File.pathSeparator + Virgo.API_JAR.toAbsolutePath(),
            mainClass.getName()));
    }

    private static String resultLine(final String jvm, final String output)
    {
        final List<String> results = output.lines().filter(line -> line.startsWith("RESULT ")).toList();
        if (results.size() != 1)
        {
            fail(jvm + " printed " + results.size() + " result lines, not one: " + results);
        }
        return results.get(0);
    }

    /** {@code RAN worker pid} lines: each worker's name and the pid it ran in. */
    private static Map<String, Long> workers(final String jvm, final String output)
    {
        final Map<String, Long> ranIn = new TreeMap<>();
        for (final String line : output.split("\\R"))
        {
            if (line.startsWith("RAN "))
            {
                final String[] parts = line.split(" ");
                assertEquals(3, parts.length, jvm + ": " + line);
                assertNull(ranIn.put(parts[1], Long.parseLong(parts[2])), jvm + ": twice " + parts[1]);
            }
        }
        assertFalse(ranIn.isEmpty(), jvm + " said where its workers ran");
        return ranIn;
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
