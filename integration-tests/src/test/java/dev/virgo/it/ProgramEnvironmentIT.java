package dev.virgo.it;

import dev.virgo.it.apps.identity.ExitApp;
import dev.virgo.it.apps.identity.ProcessorsApp;
import dev.virgo.it.apps.identity.SystemPropertiesApp;
import dev.virgo.it.apps.node.ParallelSumApp;
import dev.virgo.it.harness.Jdk;
import dev.virgo.it.harness.JvmProcess;
import dev.virgo.it.harness.JvmThreads;
import dev.virgo.it.harness.Virgo;
import dev.virgo.it.harness.VirgoTestLogs;
import org.agrona.IoUtil;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a moved thread sees of the program around it, as it would in one JVM: the program's system properties as of
 * {@code start()}; {@code System.exit}, {@code Runtime.exit} and {@code Runtime.halt} end the program at the origin
 * with their status and never the node; and, with {@code reportPooledCpus=true}, {@code availableProcessors()} in the
 * program reports the pool's processors, each machine once.
 */
@ExtendWith(VirgoTestLogs.class)
class ProgramEnvironmentIT
{
    private static final Duration THREAD_TIMEOUT = Duration.ofSeconds(20);

    static List<Jdk> jdks()
    {
        return Jdk.available();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldShowAMovedThreadTheProgramsSystemPropertiesAsOfStart(final Jdk jdk)
    {
        final JvmProcess origin = origin(jdk, List.of("-Dapp.fromCommandLine=cli"),
            "offload=dev.virgo.it.apps.identity.SystemPropertiesApp*,localNodes=1", SystemPropertiesApp.class);
        final String output = Virgo.assertSucceeded(origin);
        Virgo.assertChecks(output, "readers-moved", "command-line-property", "property-set-by-program",
            "integer-get-integer", "boolean-get-boolean", "properties-as-of-start", "machine-keys-are-the-nodes",
            "own-write-seen-by-the-thread", "own-write-stays-in-the-thread", "own-write-not-written-back");
        assertTrue(output.contains("DONE"), "main ran to its end");
    }

    /*
     * What this proves: System.exit(3) in a moved thread, while another moved thread works on the same node, ends the
     * origin with status 3 while its main is still waiting in join(); nothing the thread would run after the call
     * (the next statement, a finally block) prints; the node does not exit, releases the exiting thread's carrier once
     * the origin has gone, and then runs a second origin's threads.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldEndTheProgramAtTheOriginWhenAMovedThreadCallsSystemExit(final Jdk jdk)
    {
        final int port = Virgo.freeUdpPort();
        final JvmProcess node = Virgo.node(jdk, port);
        try
        {
            final JvmProcess origin = Virgo.origin(jdk,
                "nodes=127.0.0.1:" + port + ",offload=dev.virgo.it.apps.identity.ExitApp*", ExitApp.class, "exit", "3");
            assertEquals(3, origin.awaitExit(Virgo.EXIT_TIMEOUT), "the origin's exit status");
            final String output = origin.output();
            assertTrue(output.contains("EXITER-RAN-IN " + node.pid()), "the exiter ran on the node");
            assertNothingAfterTheExit(output);
            assertFalse(node.output().contains("AFTER-EXIT"), "nor on the node");
            Virgo.assertNothingLeftOf(origin.pid(), THREAD_TIMEOUT);

            JvmThreads.awaitThread(jdk, node.pid(), "exiter", false, THREAD_TIMEOUT);
            assertTrue(node.isAlive(), "the node keeps running");
            final JvmProcess next = Virgo.origin(jdk,
                "nodes=127.0.0.1:" + port + ",offload=dev.virgo.it.apps.node.ParallelSumApp*", ParallelSumApp.class,
                "afterExit");
            final String nextOutput = Virgo.assertSucceeded(next);
            assertTrue(nextOutput.contains("CHECK afterExit-sum ok"), "a later origin's sum");
            final Matcher ranIn = Pattern.compile("^RAN-IN afterExit (\\d+)$", Pattern.MULTILINE).matcher(nextOutput);
            int workers = 0;
            while (ranIn.find())
            {
                assertEquals(node.pid(), Long.parseLong(ranIn.group(1)), "a later origin's worker ran on the node");
                workers++;
            }
            assertEquals(ParallelSumApp.WORKERS, workers, "one RAN-IN line per worker");
            assertTrue(node.isAlive(), "the node still runs");
        }
        finally
        {
            node.close();
            IoUtil.delete(new File("/dev/shm/virgo-node-" + node.pid()), true);
        }
    }

    /** {@code Runtime.exit} and {@code Runtime.halt} as {@code System.exit}, with the embedded default's nodes. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldEndTheProgramAtTheOriginWhenAMovedThreadCallsRuntimeExitOrHalt(final Jdk jdk)
    {
        for (final String[] run : List.of(new String[] {"runtime-exit", "4"}, new String[] {"halt", "5"}))
        {
            final JvmProcess origin = Virgo.origin(jdk, "offload=dev.virgo.it.apps.identity.ExitApp*,localNodes=1",
                ExitApp.class, run[0], run[1]);
            assertEquals(Integer.parseInt(run[1]), origin.awaitExit(Virgo.EXIT_TIMEOUT), run[0] + ": exit status");
            final String output = origin.output();
            final Matcher ranIn = Pattern.compile("^EXITER-RAN-IN (\\d+)$", Pattern.MULTILINE).matcher(output);
            assertTrue(ranIn.find() && Long.parseLong(ranIn.group(1)) != origin.pid(), run[0] + ": ran on a node");
            assertNothingAfterTheExit(output);
            Virgo.assertNothingLeftOf(origin.pid(), THREAD_TIMEOUT);
        }
    }

    /*
     * The origin has one processor (-XX:ActiveProcessorCount=1) and its two local nodes, on the same machine, three
     * each: the pool is this machine's 3 (not 1 + 3 + 3) with reportPooledCpus=true, and the origin's own 1 without.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldReportThePooledProcessorsOnlyWhenAsked(final Jdk jdk)
    {
        final List<String> oneCpu = List.of("-XX:ActiveProcessorCount=1");
        final String nodes = "localNodes=2,nodeJvmArgs=-XX:ActiveProcessorCount=3";
        final String pooled = Virgo.assertSucceeded(
            origin(jdk, oneCpu, nodes + ",reportPooledCpus=true", ProcessorsApp.class));
        assertTrue(pooled.contains("PROCESSORS 3 POOL 3"), "reportPooledCpus=true: " + lineWith(pooled, "PROCESSORS"));
        final String own = Virgo.assertSucceeded(origin(jdk, oneCpu, nodes, ProcessorsApp.class));
        assertTrue(own.contains("PROCESSORS 1 POOL 1"), "by default: " + lineWith(own, "PROCESSORS"));
    }

    private static void assertNothingAfterTheExit(final String output)
    {
        assertFalse(output.contains("AFTER-EXIT"), "the statement after the exit, or a finally block, ran");
        assertFalse(output.contains("FAIL"), "main went on: " + lineWith(output, "FAIL"));
    }

    /** {@link Virgo#origin} with JVM options before the agent. */
    private static JvmProcess origin(
        final Jdk jdk,
        final List<String> jvmArgs,
        final String agentArgs,
        final Class<?> mainClass,
        final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(jdk.java().toString());
        command.addAll(jvmArgs);
        command.add("-javaagent:" + Virgo.JAR.toAbsolutePath() + "=" + agentArgs);
        command.add("-cp");
        command.add(Virgo.TEST_CLASSES.toAbsolutePath() + File.pathSeparator + Virgo.API_JAR.toAbsolutePath() +
            File.pathSeparator + Virgo.EXAMPLES_JAR.toAbsolutePath());
        command.add(mainClass.getName());
        command.addAll(Arrays.asList(args));
        return JvmProcess.start("origin-" + mainClass.getSimpleName(), command);
    }

    private static String lineWith(final String text, final String what)
    {
        for (final String line : text.split("\\R"))
        {
            if (line.contains(what))
            {
                return line;
            }
        }
        return "(no line with '" + what + "')";
    }
}
