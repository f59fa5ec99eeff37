package dev.virgo.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A JVM a test started: its standard output and error go to one log file (local nodes an origin starts inherit
 * them, so an origin's log holds its nodes' too). Every wait has a timeout; {@link VirgoTestLogs} prints the log
 * of every JVM a failed test started.
 */
public final class JvmProcess implements AutoCloseable
{
    private static final long POLL_INTERVAL_MS = 20;

    private final String name;
    private final Process process;
    private final Path log;

    private JvmProcess(final String name, final Process process, final Path log)
    {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public static JvmProcess start(final String name, final List<String> command)
    {
        try
        {
            final Path log = VirgoTestLogs.logFile(name);
            Files.writeString(log, "$ " + String.join(" ", command) + System.lineSeparator());
            final Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
            final JvmProcess jvm = new JvmProcess(name, process, log);
            VirgoTestLogs.register(jvm);
            return jvm;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start " + name + ": " + command, ex);
        }
    }

    public String name()
    {
        return name;
    }

    public long pid()
    {
        return process.pid();
    }

    public Path log()
    {
        return log;
    }

    public String output()
    {
        try
        {
            return Files.readString(log, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    public boolean isAlive()
    {
        return process.isAlive();
    }

    /** @return the exit code; fails the test when the JVM has not exited within the timeout. */
    public int awaitExit(final Duration timeout)
    {
        try
        {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
            {
                fail(name + " did not exit within " + timeout);
            }
            return process.exitValue();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Waits until the output satisfies the condition; fails the test at the timeout or if the JVM exits first. */
    public String awaitOutput(final String what, final Predicate<String> condition, final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            final String output = output();
            if (condition.test(output))
            {
                return output;
            }
            if (!process.isAlive() && condition.negate().test(output()))
            {
                fail(name + " exited (code " + process.exitValue() + ") before " + what);
            }
            if (System.nanoTime() > deadline)
            {
                fail(name + ": no " + what + " within " + timeout);
            }
            pause();
        }
    }

    public String awaitOutput(final String text, final Duration timeout)
    {
        return awaitOutput("'" + text + "' in its output", output -> output.contains(text), timeout);
    }

    /** {@code kill -9}. */
    public void kill()
    {
        process.destroyForcibly();
        try
        {
            process.waitFor(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    static void pause()
    {
        try
        {
            Thread.sleep(POLL_INTERVAL_MS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close()
    {
        if (process.isAlive())
        {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            kill();
        }
    }

    @Override
    public String toString()
    {
        return name + " (pid " + process.pid() + ")";
    }
}
