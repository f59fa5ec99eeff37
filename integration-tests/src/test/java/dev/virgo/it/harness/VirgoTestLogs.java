package dev.virgo.it.harness;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * JUnit extension: keeps each JVM a test starts, prints all their logs when the test fails, and kills whatever is
 * still running when it ends. Logs stay under {@code target/it-logs}.
 */
public final class VirgoTestLogs implements BeforeEachCallback, AfterEachCallback, TestWatcher
{
    private static final Path ROOT = Paths.get("target", "it-logs");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final List<JvmProcess> STARTED = new ArrayList<>();
    private static volatile String currentTest = "test";

    static synchronized Path logFile(final String jvmName) throws IOException
    {
        Files.createDirectories(ROOT);
        return ROOT.resolve(String.format("%04d-%s-%s.log", SEQUENCE.incrementAndGet(), currentTest, jvmName));
    }

    static synchronized void register(final JvmProcess jvm)
    {
        STARTED.add(jvm);
    }

    @Override
    public void beforeEach(final ExtensionContext context)
    {
        synchronized (VirgoTestLogs.class)
        {
            STARTED.clear();
            currentTest = context.getRequiredTestMethod().getName() +
                context.getDisplayName().replaceAll("[^A-Za-z0-9]+", "_");
        }
    }

    @Override
    public void afterEach(final ExtensionContext context)
    {
        synchronized (VirgoTestLogs.class)
        {
            for (final JvmProcess jvm : STARTED)
            {
                jvm.close();
            }
        }
    }

    @Override
    public void testFailed(final ExtensionContext context, final Throwable cause)
    {
        synchronized (VirgoTestLogs.class)
        {
            System.out.println("==== " + context.getDisplayName() + " failed: logs of the " + STARTED.size() +
                " JVMs it started ====");
            for (final JvmProcess jvm : STARTED)
            {
                System.out.println("---- " + jvm + ": " + jvm.log());
                System.out.println(jvm.output());
            }
        }
    }

    @Override
    public void testDisabled(final ExtensionContext context, final Optional<String> reason)
    {
    }
}
