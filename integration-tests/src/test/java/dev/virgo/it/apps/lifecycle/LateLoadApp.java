package dev.virgo.it.apps.lifecycle;

import dev.virgo.it.apps.Check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * A thread that a moved thread starts on its node loads a class from the origin after its starter has finished and
 * other moved threads came and went: it gets the class at once, and a class the origin does not have, or a name that
 * is no class name, fails at once with a {@link ClassNotFoundException} saying why. The node-local thread and this
 * program meet through files in a temporary directory (both run on this machine): the program says when to load,
 * the thread writes what it saw. Run with {@code offload=dev.virgo.it.apps.lifecycle.LateLoadApp,localNodes=1}.
 */
public final class LateLoadApp
{
    static final String LATE_CLASS = "dev.virgo.it.apps.lifecycle.LateLoadApp$LateLoaded";
    static final String MISSING_CLASS = "dev.virgo.it.apps.lifecycle.NoSuchClassAnywhere";
    static final String NOT_A_CLASS_NAME = "[Ljava.lang.String;";
    static final long TIMEOUT_MS = 60_000;
    /** Well under the 10 s a node waits for a class reply before it gives up. */
    static final long PROMPT_MS = 5_000;

    /** Moved: starts the node-local thread and ends at once. */
    static final class LateStarter implements Runnable
    {
        final String directory;
        long ranIn;

        LateStarter(final String directory)
        {
            this.directory = directory;
        }

        @Override
        public void run()
        {
            ranIn = Check.pid();
            final Thread loader = new Thread(new LateLoader(directory), "late-loader");
            loader.setDaemon(true);
            loader.start();
        }
    }

    /** Moved after the starter ended, so that the node's latest thread is not the late loader's starter. */
    static final class Bystander implements Runnable
    {
        long ranIn;

        @Override
        public void run()
        {
            ranIn = Check.pid();
        }
    }

    /** Runs on the node, started there by {@link LateStarter}. */
    static final class LateLoader implements Runnable
    {
        final String directory;

        LateLoader(final String directory)
        {
            this.directory = directory;
        }

        @Override
        public void run()
        {
            final Path dir = Paths.get(directory);
            final StringBuilder result = new StringBuilder();
            try
            {
                final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
                while (!Files.exists(dir.resolve("go")) && System.nanoTime() < deadlineNs)
                {
                    Thread.sleep(10); // polling a file the origin writes, bounded by the deadline
                }
                final ClassLoader loader = LateLoader.class.getClassLoader();
                long startNs = System.nanoTime();
                try
                {
                    final Object late = Class.forName(LATE_CLASS, true, loader).getDeclaredConstructor().newInstance();
                    result.append("late ").append(elapsedMs(startNs)).append(' ').append(late).append('\n');
                }
                catch (final Throwable ex)
                {
                    result.append("late ").append(elapsedMs(startNs)).append(' ').append(ex).append('\n');
                }
                result.append(failure(loader, MISSING_CLASS, "missing"));
                result.append(failure(loader, NOT_A_CLASS_NAME, "not-a-class-name"));
                result.append("pid ").append(ProcessHandle.current().pid()).append('\n');
            }
            catch (final Throwable ex)
            {
                result.append("broken ").append(ex).append('\n');
            }
            try
            {
                final Path written = dir.resolve("result.tmp");
                Files.write(written, result.toString().getBytes(StandardCharsets.UTF_8));
                Files.move(written, dir.resolve("result"), StandardCopyOption.ATOMIC_MOVE);
            }
            catch (final IOException ex)
            {
                ex.printStackTrace();
            }
        }

        private static String failure(final ClassLoader loader, final String name, final String label)
        {
            final long startNs = System.nanoTime();
            try
            {
                loader.loadClass(name);
                return label + " " + elapsedMs(startNs) + " loaded!\n";
            }
            catch (final Throwable ex)
            {
                return label + " " + elapsedMs(startNs) + " " + ex + '\n';
            }
        }

        private static long elapsedMs(final long startNs)
        {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        }
    }

    static final class LateLoaded
    {
        @Override
        public String toString()
        {
            return "late-loaded";
        }
    }

    public static void main(final String[] args) throws Exception
    {
        final Path dir = Files.createTempDirectory("virgo-late-load");
        try
        {
            final LateStarter starter = new LateStarter(dir.toString());
            final Thread starterThread = new Thread(starter, "late-starter");
            starterThread.start();
            starterThread.join();
            int bystandersMoved = 0;
            for (int i = 0; i < 3; i++)
            {
                final Bystander bystander = new Bystander();
                final Thread thread = new Thread(bystander, "bystander-" + i);
                thread.start();
                thread.join();
                bystandersMoved += bystander.ranIn == starter.ranIn ? 1 : 0;
            }
            Check.that("starter-moved", starter.ranIn != 0 && starter.ranIn != Check.pid(), starter.ranIn);
            Check.that("bystanders-moved-to-the-same-node", bystandersMoved == 3, bystandersMoved + " of 3");

            Files.createFile(dir.resolve("go"));
            final Path resultFile = dir.resolve("result");
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
            while (!Files.exists(resultFile) && System.nanoTime() < deadlineNs)
            {
                Thread.sleep(20); // polling the file the node-local thread writes, bounded by the deadline
            }
            final String result = Files.exists(resultFile) ? Files.readString(resultFile) : "";
            System.out.println("late loader wrote:\n" + result);
            final String late = line(result, "late");
            Check.that("late-class-loaded-promptly", late.endsWith(" late-loaded") && millis(late) < PROMPT_MS, late);
            final String missing = line(result, "missing");
            Check.that("missing-class-not-found-promptly", millis(missing) < PROMPT_MS &&
                missing.contains("java.lang.ClassNotFoundException: " + MISSING_CLASS), missing);
            final String refused = line(result, "not-a-class-name");
            Check.that("not-a-class-name-refused-promptly-saying-why", millis(refused) < PROMPT_MS &&
                refused.contains("java.lang.ClassNotFoundException") && refused.contains("not a class name"),
                refused);
            Check.that("late-loader-ran-on-the-node", line(result, "pid").equals("pid " + starter.ranIn),
                line(result, "pid"));
        }
        finally
        {
            for (final String name : new String[] {"go", "result", "result.tmp"})
            {
                Files.deleteIfExists(dir.resolve(name));
            }
            Files.deleteIfExists(dir);
        }
        System.out.println("DONE");
    }

    private static String line(final String result, final String label)
    {
        for (final String line : result.split("\n"))
        {
            if (line.startsWith(label + " "))
            {
                return line;
            }
        }
        return "(no '" + label + "' line)";
    }

    private static long millis(final String line)
    {
        try
        {
            return Long.parseLong(line.split(" ")[1]);
        }
        catch (final RuntimeException ex)
        {
            return Long.MAX_VALUE;
        }
    }
}
