package dev.virgo.it.harness;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Starts origins (the application with {@code -javaagent:virgo.jar}) and standalone nodes for tests. */
public final class Virgo
{
    public static final Duration EXIT_TIMEOUT = Duration.ofSeconds(90);
    public static final Path JAR = Paths.get(System.getProperty("virgo.jar", "../agent/target/virgo.jar"));
    public static final Path EXAMPLES_JAR =
        Paths.get(System.getProperty("virgo.examples.jar", "../examples/target/virgo-examples.jar"));
    public static final Path TEST_CLASSES = Paths.get(System.getProperty("virgo.test.classes", "target/test-classes"));
    public static final Path API_JAR = Paths.get(System.getProperty("virgo.api.jar", "../api/target/virgo-api.jar"));

    private Virgo()
    {
    }

    /** Runs {@code mainClass} with the agent; {@code agentArgs} may be empty for the defaults. */
    public static JvmProcess origin(final Jdk jdk, final String agentArgs, final Class<?> mainClass, final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(jdk.java().toString());
        command.add("-javaagent:" + JAR.toAbsolutePath() + (agentArgs.isEmpty() ? "" : "=" + agentArgs));
        command.add("-cp");
        command.add(TEST_CLASSES.toAbsolutePath() + File.pathSeparator + API_JAR.toAbsolutePath() +
            File.pathSeparator + EXAMPLES_JAR.toAbsolutePath());
        command.add(mainClass.getName());
        command.addAll(Arrays.asList(args));
        return JvmProcess.start("origin-" + mainClass.getSimpleName(), command);
    }

    /** {@code java -jar virgo.jar node --bind 127.0.0.1:port}, waiting until it says it is ready. */
    public static JvmProcess node(final Jdk jdk, final int port, final String... extraArgs)
    {
        final List<String> command = new ArrayList<>(List.of(
            jdk.java().toString(), "-jar", JAR.toAbsolutePath().toString(), "node", "--bind", "127.0.0.1:" + port));
        command.addAll(Arrays.asList(extraArgs));
        final JvmProcess node = JvmProcess.start("node-" + port, command);
        node.awaitOutput("ready on", Duration.ofSeconds(30));
        return node;
    }

    /** A UDP port free on loopback now. */
    public static int freeUdpPort()
    {
        try (DatagramSocket socket = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** Asserts a run ended with code 0 and printed no FAIL line; returns its output. */
    public static String assertSucceeded(final JvmProcess origin)
    {
        final int code = origin.awaitExit(EXIT_TIMEOUT);
        final String output = origin.output();
        for (final String line : output.split("\\R"))
        {
            if (line.startsWith("FAIL"))
            {
                fail(origin.name() + ": " + line);
            }
        }
        assertEquals(0, code, origin.name() + " exit code");
        return output;
    }

    /** Asserts that a test program printed {@code CHECK name ok} for each name (see {@code apps.Check}). */
    public static void assertChecks(final String output, final String... checks)
    {
        for (final String check : checks)
        {
            if (!output.contains("CHECK " + check + " ok"))
            {
                fail("no 'CHECK " + check + " ok' in the output");
            }
        }
    }

    /** Local node JVMs this origin launched that are still running. */
    public static List<ProcessHandle> nodesOf(final long originPid)
    {
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses())
        {
            return all.filter(p -> p.info().commandLine().orElse("").contains("--origin-pid=" + originPid))
                .toList();
        }
    }

    /** Entries in /dev/shm (Aeron's directories) that belong to this origin. */
    public static List<String> shmEntriesOf(final long originPid)
    {
        final File[] entries = new File("/dev/shm").listFiles();
        final List<String> found = new ArrayList<>();
        if (null != entries)
        {
            for (final File entry : entries)
            {
                if (entry.getName().contains("virgo-origin-" + originPid + "-"))
                {
                    found.add(entry.getName());
                }
            }
        }
        return found;
    }

    /** Waits (with a timeout) until nothing of this origin is left running or in /dev/shm. */
    public static void assertNothingLeftOf(final long originPid, final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!nodesOf(originPid).isEmpty() || !shmEntriesOf(originPid).isEmpty())
        {
            if (System.nanoTime() > deadline)
            {
                fail("after origin " + originPid + " ended, still left: nodes " + nodesOf(originPid) +
                    ", /dev/shm " + shmEntriesOf(originPid));
            }
            JvmProcess.pause();
        }
    }
}
