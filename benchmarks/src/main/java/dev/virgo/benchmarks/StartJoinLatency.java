package dev.virgo.benchmarks;

import org.HdrHistogram.Histogram;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Start-to-join latency of an empty thread, moved by Virgo beside one started locally, in the same JVM and run.
 *
 * <p>Each iteration times {@code new Thread(task); start(); join()} from before the {@code Thread} is made to after
 * {@code join()} returns, and records the nanoseconds into an HdrHistogram. Two task classes with empty
 * {@code run()} methods take turns in blocks (local, moved, moved, local, ...) so that the machine's noise falls on
 * both alike: {@link MovedTask}, which the agent is told to move ({@code offload=...StartJoinLatency$Moved*}), and
 * {@link LocalTask}, which it is not, so it starts as an ordinary local thread: the baseline.
 *
 * <p>After that, an optional segments phase runs {@link MovedProbe} and {@link LocalProbe} the same way. Their
 * {@code run()} only reads {@link System#nanoTime()} (CLOCK_MONOTONIC, comparable across the JVMs of one Linux
 * machine) and the pid into two fields, which the moved thread's write-back brings home, so the start-to-join time
 * splits into "until run() begins" and "from run() begins until join() returns".
 *
 * <p>Neither this class nor the classes it names keep static state while measuring: with each start Virgo copies the
 * statics of every initialized application class reachable from the moved class's constant pool (a nested class
 * reaches its outer class, and through it the whole harness), which would add to the figure of an empty thread.
 * ({@link Report} has constants, but it is first used after the measurements.)
 *
 * <p>An ordinary program: it imports nothing of Virgo and reads the agent's settings only to print them. Arguments
 * are {@code name=value}: {@code warmup} (per kind, default 2000), {@code iterations} (measured per kind, default
 * 10000), {@code block} (default 100), {@code segments} (probe iterations per kind, default 2000, 0 for none),
 * {@code daemon} (start both kinds as daemon threads, default false), {@code idleMs} (how long the CPU use of an
 * idle origin and its nodes is measured before the warm-up, default 1000), {@code joinTimeoutMs} (default 10000),
 * {@code timeoutS} (whole run, default 170) and {@code out} (path prefix of
 * the .txt and .csv results; default {@code start-join-jdkN-IDLE} next to the jar, i.e. in
 * {@code benchmarks/target/}).
 */
public final class StartJoinLatency
{
    /** Chosen by the agent's {@code offload=} glob: runs on a node. */
    static final class MovedTask implements Runnable
    {
        @Override
        public void run()
        {
        }
    }

    /** Not chosen: runs as an ordinary local thread, the baseline. */
    static final class LocalTask implements Runnable
    {
        @Override
        public void run()
        {
        }
    }

    /** Chosen too: notes when and where run() began; the write-back brings the fields home. */
    static final class MovedProbe implements Runnable
    {
        long runBeganNs;
        long pid;

        @Override
        public void run()
        {
            runBeganNs = System.nanoTime();
            pid = ProcessHandle.current().pid();
        }
    }

    /** The local twin of {@link MovedProbe}. */
    static final class LocalProbe implements Runnable
    {
        long runBeganNs;
        long pid;

        @Override
        public void run()
        {
            runBeganNs = System.nanoTime();
            pid = ProcessHandle.current().pid();
        }
    }

    private StartJoinLatency()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Settings settings = Settings.parse(args);
        final Thread watchdog = new Thread(() -> exitAfter(settings.timeoutS), "start-join-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        final double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        final Environment environment = Environment.describe(loadAtStart);
        System.out.println(environment.agentWarning());
        final int rc = run(settings, environment);
        System.out.flush();
        System.exit(rc);
    }

    private static int run(final Settings settings, final Environment environment) throws Exception
    {
        final long beganNs = System.nanoTime();
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final Kind moved = new Kind(true, MovedTask.class.getSimpleName());
        final Kind local = new Kind(false, LocalTask.class.getSimpleName());

        final long probePid = whereMovedProbeRuns(settings);
        System.out.println("MovedProbe ran in pid " + probePid + ", this JVM is pid " + ProcessHandle.current().pid());
        System.out.println("idle: " + settings.idleMs + " ms with no thread to move...");
        final long[] idleBegan = Cpu.now();
        Thread.sleep(settings.idleMs);
        final Cpu idleCpu = Cpu.since(idleBegan);
        System.out.println("warm-up: " + settings.warmup + " per kind...");
        interleave(settings.warmup, settings, local, moved, false, threads);
        moved.reset();
        local.reset();

        System.out.println("measuring: " + settings.iterations + " per kind...");
        final long gcCountBefore = gcCount();
        final long gcMsBefore = gcMillis();
        final long[] measuredBegan = Cpu.now();
        interleave(settings.iterations, settings, local, moved, true, threads);
        final Cpu cpu = Cpu.since(measuredBegan);
        final long gcCount = gcCount() - gcCountBefore;
        final long gcMs = gcMillis() - gcMsBefore;

        final Segments segments = new Segments();
        if (settings.segments > 0)
        {
            System.out.println("segments: " + settings.segments + " probe iterations per kind...");
            segments.run(settings);
        }

        final Report report = new Report(settings, environment, local, moved, segments, probePid, idleCpu, cpu,
            gcCount, gcMs, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - beganNs));
        final String text = report.text();
        System.out.println();
        System.out.print(text);
        final Path prefix = settings.outPrefix(environment);
        Files.createDirectories(prefix.toAbsolutePath().getParent());
        final Path textFile = Path.of(prefix + ".txt");
        final Path csvFile = Path.of(prefix + ".csv");
        Files.writeString(textFile, text);
        Files.writeString(csvFile, report.csv());
        System.out.println("written: " + textFile + " and " + csvFile);
        return probePid != ProcessHandle.current().pid() ? 0 : 1;
    }

    /**
     * An empty run() leaves no trace of where it ran, so one {@link MovedProbe} tells whether the agent moves what the
     * glob names at all; the {@code offload=} glob given to the agent should be {@code StartJoinLatency$Moved*}.
     */
    private static long whereMovedProbeRuns(final Settings settings) throws InterruptedException
    {
        final MovedProbe probe = new MovedProbe();
        final Thread thread = new Thread(probe);
        thread.setDaemon(settings.daemon);
        thread.start();
        thread.join(settings.joinTimeoutMs);
        if (thread.isAlive())
        {
            throw new IllegalStateException("MovedProbe did not end within " + settings.joinTimeoutMs + " ms");
        }
        return probe.pid;
    }

    /** Blocks of each kind in turn, ABBA, so neither kind always follows the other. */
    private static void interleave(
        final int perKind,
        final Settings settings,
        final Kind local,
        final Kind moved,
        final boolean measured,
        final ThreadMXBean threads) throws InterruptedException
    {
        int done = 0;
        int block = 0;
        while (done < perKind)
        {
            final int count = Math.min(settings.block, perKind - done);
            final boolean localFirst = (block & 1) == 0;
            measureBlock(localFirst ? local : moved, count, settings, measured, threads);
            measureBlock(localFirst ? moved : local, count, settings, measured, threads);
            done += count;
            block++;
        }
    }

    private static void measureBlock(
        final Kind kind,
        final int count,
        final Settings settings,
        final boolean measured,
        final ThreadMXBean threads) throws InterruptedException
    {
        final long startedBefore = threads.getTotalStartedThreadCount();
        for (int i = 0; i < count; i++)
        {
            final long t0 = System.nanoTime();
            final Thread thread = new Thread(kind.moved ? new MovedTask() : new LocalTask());
            if (settings.daemon)
            {
                thread.setDaemon(true);
            }
            thread.start();
            final long t1 = System.nanoTime();
            thread.join(settings.joinTimeoutMs);
            final long t2 = System.nanoTime();
            if (thread.isAlive())
            {
                throw new IllegalStateException(kind.task + " thread did not end within " +
                    settings.joinTimeoutMs + " ms (iteration " + i + " of a block)");
            }
            kind.record(t1 - t0, t2 - t0, measured);
        }
        kind.threadsStarted(count, threads.getTotalStartedThreadCount() - startedBefore);
    }

    private static long gcCount()
    {
        long count = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            count += Math.max(0, gc.getCollectionCount());
        }
        return count;
    }

    private static long gcMillis()
    {
        long ms = 0;
        for (final GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans())
        {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
    }

    private static void exitAfter(final long timeoutS)
    {
        try
        {
            Thread.sleep(TimeUnit.SECONDS.toMillis(timeoutS));
        }
        catch (final InterruptedException ex)
        {
            return;
        }
        System.err.println("start-join: gave up after timeoutS=" + timeoutS + " s");
        System.exit(3);
    }

    static Histogram newHistogram()
    {
        return new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    }

    static void recordNs(final Histogram histogram, final long ns)
    {
        histogram.recordValue(Math.max(0, Math.min(ns, histogram.getHighestTrackableValue())));
    }

    /** One task class's figures. */
    static final class Kind
    {
        final boolean moved;
        final String task;
        final Histogram startToJoin = newHistogram();
        final Histogram startCall = newHistogram();
        long firstNs = -1;
        long starts;
        long jvmThreadsStarted;

        Kind(final boolean moved, final String task)
        {
            this.moved = moved;
            this.task = task;
        }

        void record(final long startCallNs, final long startToJoinNs, final boolean measured)
        {
            if (firstNs < 0)
            {
                firstNs = startToJoinNs;
            }
            if (measured)
            {
                recordNs(startCall, startCallNs);
                recordNs(startToJoin, startToJoinNs);
            }
        }

        void threadsStarted(final int count, final long started)
        {
            starts += count;
            jvmThreadsStarted += started;
        }

        void reset()
        {
            startToJoin.reset();
            startCall.reset();
            starts = 0;
            jvmThreadsStarted = 0;
        }
    }

    /** CPU used by this JVM and by its child JVMs (the local nodes) while the measured iterations ran. */
    static final class Cpu
    {
        final long wallNs;
        final long originNs;
        final long nodesNs;
        final long nodes;

        Cpu(final long wallNs, final long originNs, final long nodesNs, final long nodes)
        {
            this.wallNs = wallNs;
            this.originNs = originNs;
            this.nodesNs = nodesNs;
            this.nodes = nodes;
        }

        /** @return {wall clock, this JVM's CPU, its children's CPU}, all in ns. */
        static long[] now()
        {
            return new long[] {System.nanoTime(), cpuNs(ProcessHandle.current()), childrenCpuNs()};
        }

        static Cpu since(final long[] before)
        {
            final long[] now = now();
            return new Cpu(now[0] - before[0], now[1] - before[1], now[2] - before[2],
                ProcessHandle.current().children().count());
        }

        /** CPU time of a process so far, as the OS tells it; 0 when it does not. */
        private static long cpuNs(final ProcessHandle process)
        {
            return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        }

        /** The local node JVMs are this JVM's child processes. */
        private static long childrenCpuNs()
        {
            return ProcessHandle.current().children().mapToLong(Cpu::cpuNs).sum();
        }
    }

    /** Splits start-to-join with the probes: until run() begins, and from there until join() returns. */
    static final class Segments
    {
        final Histogram movedToRun = newHistogram();
        final Histogram movedRunToJoin = newHistogram();
        final Histogram localToRun = newHistogram();
        final Histogram localRunToJoin = newHistogram();
        int count;

        void run(final Settings settings) throws InterruptedException
        {
            final int warmup = Math.min(settings.segments, Math.max(settings.block, settings.segments / 4));
            for (final boolean measured : new boolean[] {false, true})
            {
                final int perKind = measured ? settings.segments : warmup;
                int done = 0;
                int block = 0;
                while (done < perKind)
                {
                    final int blockCount = Math.min(settings.block, perKind - done);
                    final boolean localFirst = (block & 1) == 0;
                    probeBlock(localFirst, blockCount, settings, measured);
                    probeBlock(!localFirst, blockCount, settings, measured);
                    done += blockCount;
                    block++;
                }
            }
            count = settings.segments;
        }

        private void probeBlock(
            final boolean local, final int blockCount, final Settings settings, final boolean measured)
            throws InterruptedException
        {
            for (int i = 0; i < blockCount; i++)
            {
                final MovedProbe movedProbe = local ? null : new MovedProbe();
                final LocalProbe localProbe = local ? new LocalProbe() : null;
                final long t0 = System.nanoTime();
                final Thread thread = new Thread(local ? localProbe : movedProbe);
                if (settings.daemon)
                {
                    thread.setDaemon(true);
                }
                thread.start();
                thread.join(settings.joinTimeoutMs);
                final long t2 = System.nanoTime();
                if (thread.isAlive())
                {
                    throw new IllegalStateException(
                        "probe thread did not end within " + settings.joinTimeoutMs + " ms");
                }
                final long runBeganNs = local ? localProbe.runBeganNs : movedProbe.runBeganNs;
                if (measured)
                {
                    recordNs(local ? localToRun : movedToRun, runBeganNs - t0);
                    recordNs(local ? localRunToJoin : movedRunToJoin, t2 - runBeganNs);
                }
            }
        }
    }

    static final class Settings
    {
        int warmup = 2_000;
        int iterations = 10_000;
        int block = 100;
        int segments = 2_000;
        boolean daemon;
        int idleMs = 1_000;
        long joinTimeoutMs = 10_000;
        long timeoutS = 170;
        String out;

        static Settings parse(final String[] args)
        {
            final Settings settings = new Settings();
            for (final String arg : args)
            {
                final int equals = arg.indexOf('=');
                if (equals <= 0)
                {
                    throw new IllegalArgumentException(arg + ": expected name=value, names: " + names());
                }
                final String name = arg.substring(0, equals);
                final String value = arg.substring(equals + 1);
                switch (name)
                {
                    case "warmup": settings.warmup = nonNegative(name, value); break;
                    case "iterations": settings.iterations = positive(name, value); break;
                    case "block": settings.block = positive(name, value); break;
                    case "segments": settings.segments = nonNegative(name, value); break;
                    case "daemon": settings.daemon = Boolean.parseBoolean(value); break;
                    case "idleMs": settings.idleMs = nonNegative(name, value); break;
                    case "joinTimeoutMs": settings.joinTimeoutMs = positive(name, value); break;
                    case "timeoutS": settings.timeoutS = positive(name, value); break;
                    case "out": settings.out = value; break;
                    default: throw new IllegalArgumentException(arg + ": unknown name, expected one of " + names());
                }
            }
            return settings;
        }

        Path outPrefix(final Environment environment)
        {
            if (null != out)
            {
                return Path.of(out);
            }
            final String name = "start-join-jdk" + Runtime.version().feature() + "-" + environment.idle +
                (daemon ? "-daemon" : "");
            return environment.jarDirectory().resolve(name);
        }

        private static String names()
        {
            return "warmup, iterations, block, segments, daemon, idleMs, joinTimeoutMs, timeoutS, out";
        }

        private static int positive(final String name, final String value)
        {
            final int parsed = nonNegative(name, value);
            if (parsed == 0)
            {
                throw new IllegalArgumentException(name + "=" + value + ": must be positive");
            }
            return parsed;
        }

        private static int nonNegative(final String name, final String value)
        {
            final int parsed;
            try
            {
                parsed = Integer.parseInt(value.replace("_", ""));
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException(name + "=" + value + ": not a whole number");
            }
            if (parsed < 0)
            {
                throw new IllegalArgumentException(name + "=" + value + ": must not be negative");
            }
            return parsed;
        }
    }

    static String micros(final long ns)
    {
        return String.format(Locale.ROOT, "%.1f", ns / 1_000.0);
    }
}
