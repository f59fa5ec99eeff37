package dev.virgo.benchmarks;

import org.HdrHistogram.Histogram;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/** The table printed at the end of {@link StartJoinLatency} and its CSV twin. */
final class Report
{
    private static final double[] PERCENTILES = {50, 90, 99, 99.9};
    private static final String CSV_HEADER = "jdk,processors,cpu,idle,channel,daemon,warmup,iterations,block," +
        "section,kind,count,p50_us,p90_us,p99_us,p99_9_us,max_us,mean_us";

    private final StartJoinLatency.Settings settings;
    private final Environment environment;
    private final StartJoinLatency.Kind local;
    private final StartJoinLatency.Kind moved;
    private final StartJoinLatency.Segments segments;
    private final long probePid;
    private final StartJoinLatency.Cpu idleCpu;
    private final StartJoinLatency.Cpu cpu;
    private final long gcCount;
    private final long gcMs;
    private final long wallMs;

    Report(
        final StartJoinLatency.Settings settings,
        final Environment environment,
        final StartJoinLatency.Kind local,
        final StartJoinLatency.Kind moved,
        final StartJoinLatency.Segments segments,
        final long probePid,
        final StartJoinLatency.Cpu idleCpu,
        final StartJoinLatency.Cpu cpu,
        final long gcCount,
        final long gcMs,
        final long wallMs)
    {
        this.settings = settings;
        this.environment = environment;
        this.local = local;
        this.moved = moved;
        this.segments = segments;
        this.probePid = probePid;
        this.idleCpu = idleCpu;
        this.cpu = cpu;
        this.gcCount = gcCount;
        this.gcMs = gcMs;
        this.wallMs = wallMs;
    }

    String text()
    {
        final StringBuilder out = new StringBuilder();
        out.append("Virgo start->join latency of an empty thread: moved (MovedTask) beside local (LocalTask)\n");
        line(out, "jdk", environment.jdk);
        line(out, "processors", String.valueOf(environment.processors));
        line(out, "cpu", environment.cpu);
        line(out, "os", environment.os);
        line(out, "gc", environment.gc);
        line(out, "jvm args", environment.jvmArgs);
        line(out, "agent", null == environment.agentArgs ? "(none)" : environment.agentArgs);
        line(out, "idle strategy", environment.idle);
        line(out, "channel", environment.channel);
        line(out, "iterations", settings.warmup + " warm-up + " + settings.iterations +
            " measured per kind, in alternating blocks of " + settings.block + " (local,moved,moved,local,...)");
        line(out, "wall time", String.format(Locale.ROOT, "%.1f s", wallMs / 1000.0));
        line(out, "load average", String.format(Locale.ROOT,
            "%.2f at the start, %.2f at the end (1 min, whole machine)",
            environment.loadAtStart, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        line(out, "cpu idle", String.format(Locale.ROOT,
            "%.1f s with nothing to move: this JVM %.0f%% of a core, its %d node JVMs %.0f%%",
            idleCpu.wallNs / 1e9, 100.0 * idleCpu.originNs / Math.max(1, idleCpu.wallNs), idleCpu.nodes,
            100.0 * idleCpu.nodesNs / Math.max(1, idleCpu.wallNs)));
        final double idleNodesShare = (double)idleCpu.nodesNs / Math.max(1, idleCpu.wallNs);
        line(out, "cpu measured", String.format(Locale.ROOT,
            "%.1f s: this JVM %.2f s, node JVMs %.2f s = %.0f us per moved start (%.0f us above their idle rate)",
            cpu.wallNs / 1e9, cpu.originNs / 1e9, cpu.nodesNs / 1e9,
            moved.starts == 0 ? 0.0 : cpu.nodesNs / 1e3 / moved.starts,
            moved.starts == 0 ? 0.0 : (cpu.nodesNs - idleNodesShare * cpu.wallNs) / 1e3 / moved.starts));
        line(out, "gc (origin)", gcCount + " collections, " + gcMs + " ms during the measured iterations");
        final long ownPid = ProcessHandle.current().pid();
        line(out, "moved?", probePid != ownPid ?
            "yes: MovedProbe ran in pid " + probePid + ", this JVM is pid " + ownPid :
            "NO: MovedProbe ran here (pid " + ownPid + "); give the agent " +
                "offload=dev.virgo.benchmarks.StartJoinLatency$Moved*");
        line(out, "threads", "daemon=" + settings.daemon + "; JVM threads started here per measured start: " +
            String.format(Locale.ROOT, "local %.2f, moved %.2f", perStart(local), perStart(moved)));
        out.append('\n');

        header(out, "start -> join, us");
        out.append("     first\n");
        row(out, "local  " + local.task, local.startToJoin);
        out.append(String.format(Locale.ROOT, "%10s\n", StartJoinLatency.micros(local.firstNs)));
        row(out, "moved  " + moved.task, moved.startToJoin);
        out.append(String.format(Locale.ROOT, "%10s\n", StartJoinLatency.micros(moved.firstNs)));
        out.append(String.format(Locale.ROOT, "%-36s", "moved/local"));
        for (final double percentile : PERCENTILES)
        {
            out.append(String.format(Locale.ROOT, "%8.2fx", ratio(percentile)));
        }
        out.append(String.format(Locale.ROOT, "%8.2fx%8.2fx\n",
            (double)moved.startToJoin.getMaxValue() / local.startToJoin.getMaxValue(),
            moved.startToJoin.getMean() / local.startToJoin.getMean()));
        out.append(String.format(Locale.ROOT, "ratio moved/local: p50 %.2fx, p99 %.2fx\n\n", ratio(50), ratio(99)));

        header(out, "of which until start() returns, us");
        out.append('\n');
        row(out, "local  " + local.task, local.startCall);
        out.append('\n');
        row(out, "moved  " + moved.task, moved.startCall);
        out.append('\n');

        if (segments.count > 0)
        {
            out.append('\n');
            header(out, "segments (probes, " + segments.count + "/kind), us");
            out.append('\n');
            row(out, "local  until run() begins", segments.localToRun);
            out.append('\n');
            row(out, "local  run() begins -> join returns", segments.localRunToJoin);
            out.append('\n');
            row(out, "moved  until run() begins", segments.movedToRun);
            out.append('\n');
            row(out, "moved  run() begins -> join returns", segments.movedRunToJoin);
            out.append('\n');
            out.append("(a probe's run() reads System.nanoTime() and its pid into two fields, so a moved probe's " +
                "join carries a small write-back)\n");
        }
        return out.toString();
    }

    String csv()
    {
        final StringBuilder out = new StringBuilder(CSV_HEADER).append('\n');
        final String context = String.join(",", quoted(environment.jdk), String.valueOf(environment.processors),
            quoted(environment.cpu), quoted(environment.idle), quoted(environment.channel),
            String.valueOf(settings.daemon), String.valueOf(settings.warmup), String.valueOf(settings.iterations),
            String.valueOf(settings.block));
        csvRow(out, context, "start-to-join", "local", local.startToJoin);
        csvRow(out, context, "start-to-join", "moved", moved.startToJoin);
        out.append(context).append(",start-to-join,moved/local,,")
            .append(String.format(Locale.ROOT, "%.3f,%.3f,%.3f,%.3f,%.3f,%.3f\n", ratio(50), ratio(90), ratio(99),
                ratio(99.9), (double)moved.startToJoin.getMaxValue() / local.startToJoin.getMaxValue(),
                moved.startToJoin.getMean() / local.startToJoin.getMean()));
        csvRow(out, context, "start-call", "local", local.startCall);
        csvRow(out, context, "start-call", "moved", moved.startCall);
        if (segments.count > 0)
        {
            csvRow(out, context, "until-run-begins", "local", segments.localToRun);
            csvRow(out, context, "run-begins-to-join", "local", segments.localRunToJoin);
            csvRow(out, context, "until-run-begins", "moved", segments.movedToRun);
            csvRow(out, context, "run-begins-to-join", "moved", segments.movedRunToJoin);
        }
        return out.toString();
    }

    private static double perStart(final StartJoinLatency.Kind kind)
    {
        return kind.starts == 0 ? 0 : (double)kind.jvmThreadsStarted / kind.starts;
    }

    private double ratio(final double percentile)
    {
        return (double)moved.startToJoin.getValueAtPercentile(percentile) /
            local.startToJoin.getValueAtPercentile(percentile);
    }

    private static void line(final StringBuilder out, final String name, final String value)
    {
        out.append(String.format(Locale.ROOT, "%-14s: %s\n", name, value));
    }

    private static void header(final StringBuilder out, final String title)
    {
        out.append(String.format(Locale.ROOT, "%-36s%9s%9s%9s%9s%9s%9s", title,
            "p50", "p90", "p99", "p99.9", "max", "mean"));
    }

    private static void row(final StringBuilder out, final String name, final Histogram histogram)
    {
        out.append(String.format(Locale.ROOT, "%-36s", name));
        for (final double percentile : PERCENTILES)
        {
            out.append(String.format(Locale.ROOT, "%9s",
                StartJoinLatency.micros(histogram.getValueAtPercentile(percentile))));
        }
        out.append(String.format(Locale.ROOT, "%9s%9s", StartJoinLatency.micros(histogram.getMaxValue()),
            StartJoinLatency.micros((long)histogram.getMean())));
    }

    private static void csvRow(
        final StringBuilder out, final String context, final String section, final String kind,
        final Histogram histogram)
    {
        out.append(context).append(',').append(section).append(',').append(kind).append(',')
            .append(histogram.getTotalCount());
        for (final double percentile : PERCENTILES)
        {
            out.append(',').append(StartJoinLatency.micros(histogram.getValueAtPercentile(percentile)));
        }
        out.append(',').append(StartJoinLatency.micros(histogram.getMaxValue()))
            .append(',').append(StartJoinLatency.micros((long)histogram.getMean())).append('\n');
    }

    private static String quoted(final String value)
    {
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
