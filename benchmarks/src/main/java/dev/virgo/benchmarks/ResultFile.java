package dev.virgo.benchmarks;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The raw result file of one harness of the suite: one CSV row per figure, each carrying the JDK, CPU, core count,
 * idle strategy, channel and load average it was measured with, so a row means something on its own.
 * {@link SuiteReport} reads these files.
 */
final class ResultFile
{
    static final String HEADER = "benchmark,variant,metric,unit,count,p50,p90,p99,p99_9,max,mean," +
        "jdk,processors,cpu,idle,channel,load1";

    private final Path path;
    private final Environment environment;
    private String context;
    private final StringBuilder rows = new StringBuilder(HEADER).append('\n');

    ResultFile(final String path, final String idle, final String channel)
    {
        this.path = Path.of(path);
        environment = Environment.describe(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        settings(idle, channel);
    }

    /** The idle strategy and channel of the rows added from now on. */
    void settings(final String idle, final String channel)
    {
        context = String.join(",", quoted(environment.jdk), String.valueOf(environment.processors),
            quoted(environment.cpu), quoted(idle), quoted(channel));
    }

    /** A latency histogram recorded in nanoseconds, written in microseconds. */
    void latency(final String benchmark, final String variant, final String metric, final Histogram histogram)
    {
        latency(benchmark, variant, metric, histogram, "us");
    }

    /** A latency histogram recorded and written in nanoseconds: for figures near a microsecond or below. */
    void latencyNs(final String benchmark, final String variant, final String metric, final Histogram histogram)
    {
        latency(benchmark, variant, metric, histogram, "ns");
    }

    private void latency(
        final String benchmark, final String variant, final String metric, final Histogram histogram,
        final String unit)
    {
        final boolean ns = "ns".equals(unit);
        rows.append(quoted(benchmark)).append(',').append(quoted(variant)).append(',').append(quoted(metric))
            .append(',').append(unit).append(',').append(histogram.getTotalCount());
        for (final double percentile : new double[] {50, 90, 99, 99.9})
        {
            final long value = histogram.getValueAtPercentile(percentile);
            rows.append(',').append(ns ? String.valueOf(value) : micros(value));
        }
        final long max = histogram.getMaxValue();
        final long mean = (long)histogram.getMean();
        rows.append(',').append(ns ? String.valueOf(max) : micros(max))
            .append(',').append(ns ? String.valueOf(mean) : micros(mean))
            .append(',').append(context).append(',').append(load()).append('\n');
    }

    /** A single figure (a throughput, a median wall time...): written in the p50 and mean columns. */
    void value(
        final String benchmark, final String variant, final String metric, final String unit, final long count,
        final double value)
    {
        final String formatted = String.format(Locale.ROOT, "%.3f", value);
        rows.append(quoted(benchmark)).append(',').append(quoted(variant)).append(',').append(quoted(metric))
            .append(',').append(unit).append(',').append(count).append(',').append(formatted).append(",,,,,")
            .append(formatted).append(',').append(context).append(',').append(load()).append('\n');
    }

    void write() throws IOException
    {
        final Path parent = path.toAbsolutePath().getParent();
        if (null != parent)
        {
            Files.createDirectories(parent);
        }
        Files.writeString(path, rows);
        System.out.print(rows);
        System.out.println("written: " + path);
    }

    static String micros(final long ns)
    {
        return String.format(Locale.ROOT, "%.1f", ns / 1_000.0);
    }

    private static String load()
    {
        return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static String quoted(final String value)
    {
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
