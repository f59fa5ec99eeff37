package dev.virgo.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** The live threads of another JVM, read with that JDK's {@code jcmd <pid> Thread.print} (the attach mechanism). */
public final class JvmThreads
{
    private static final Duration JCMD_TIMEOUT = Duration.ofSeconds(30);

    private JvmThreads()
    {
    }

    /** @return the thread dump of {@code pid}, taken with the {@code jcmd} of {@code jdk}. */
    public static String dump(final Jdk jdk, final long pid)
    {
        final Path jcmd = jdk.java().getParent().resolve("jcmd");
        try
        {
            final Process process = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), "Thread.print"))
                .redirectErrorStream(true)
                .start();
            final byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(JCMD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly();
                fail("jcmd " + pid + " Thread.print did not end within " + JCMD_TIMEOUT);
            }
            final String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0)
            {
                fail("jcmd " + pid + " Thread.print exited with " + process.exitValue() + ": " + text);
            }
            return text;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** @return whether the JVM has a live thread of exactly this name (a thread dump line starts {@code "name" }). */
    public static boolean hasThread(final Jdk jdk, final long pid, final String threadName)
    {
        return dump(jdk, pid).contains("\"" + threadName + "\" ");
    }

    /** Waits, taking a dump at most every {@code 100 ms}, until the JVM has (or has no) thread of that name. */
    public static void awaitThread(
        final Jdk jdk, final long pid, final String threadName, final boolean present, final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (true)
        {
            last = dump(jdk, pid);
            if (last.contains("\"" + threadName + "\" ") == present)
            {
                return;
            }
            if (System.nanoTime() > deadline)
            {
                fail("JVM " + pid + (present ? " has no thread '" : " still has thread '") + threadName +
                    "' after " + timeout + "; last thread dump:\n" + last);
            }
            try
            {
                Thread.sleep(100);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }
    }
}
