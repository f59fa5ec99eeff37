package dev.virgo.runtime.origin;

import dev.virgo.api.VirgoException;
import dev.virgo.runtime.log.VirgoLog;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts the embedded default's node JVMs on this machine: {@code java -jar virgo.jar node} with the origin's
 * media driver directory, so they talk to the origin over Aeron IPC through its driver, and with the origin's pid,
 * so they exit (and remove the driver's files) when the origin is gone, even after {@code kill -9}.
 */
final class LocalNodeLauncher
{
    private final List<Process> processes = new ArrayList<>();

    /**
     * @param virgoJar    the jar the agent was loaded from.
     * @param aeronDir    the origin's embedded media driver directory.
     * @param streamId    the IPC stream the node receives on.
     * @param name        the node's name, e.g. {@code node-1}.
     * @param idle        the idle strategy, as the origin's {@code idle=}.
     * @param extraJvmArgs from {@code nodeJvmArgs=}.
     */
    synchronized Process launch(
        final Path virgoJar,
        final String aeronDir,
        final int streamId,
        final String name,
        final String idle,
        final List<String> extraJvmArgs,
        final java.nio.file.Path secretFile)
    {
        final List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-exports");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("java.base/java.lang=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("java.base/java.lang.invoke=ALL-UNNAMED");
        command.add("--add-opens");
        command.add("java.base/java.util.concurrent.atomic=ALL-UNNAMED");
        command.addAll(extraJvmArgs);
        command.add("-jar");
        command.add(virgoJar.toString());
        command.add("node");
        command.add("--aeron-dir=" + aeronDir);
        command.add("--stream=" + streamId);
        command.add("--origin-pid=" + ProcessHandle.current().pid());
        command.add("--name=" + name);
        command.add("--idle=" + idle);
        // The path only: the secret itself never goes on a command line, where ps shows it to every user.
        command.add("--secret-file=" + secretFile);
        if (VirgoLog.isDebug())
        {
            command.add("--debug");
        }
        try
        {
            final Process process = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
            processes.add(process);
            VirgoLog.debug("launched " + name + " pid=" + process.pid() + ": " + String.join(" ", command));
            return process;
        }
        catch (final Exception ex)
        {
            throw new VirgoException("cannot launch local node " + name + " with " + command.get(0) + ": " + ex, ex);
        }
    }

    /** Waits for the nodes to exit after they were told the origin is leaving; kills what is left. */
    synchronized void stopAll(final long timeoutMs)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        for (final Process process : processes)
        {
            try
            {
                final long leftNs = Math.max(0, deadlineNs - System.nanoTime());
                if (!process.waitFor(leftNs, TimeUnit.NANOSECONDS))
                {
                    process.destroyForcibly();
                    process.waitFor(1, TimeUnit.SECONDS);
                }
            }
            catch (final InterruptedException ex)
            {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
    }
}
