package dev.virgo.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the raw result files of one suite run ({@code benchmarks/run-all.sh}) and writes {@code results.md} (every
 * figure with its settings, and the ratios of Virgo to each peer) and {@code chart.svg} (round trips, p50 and p99 on a
 * log scale). A figure whose file is missing is reported as not measured, never filled in.
 */
public final class SuiteReport
{
    /** One figure: a latency (percentiles in µs) or a single value (in p50 and mean). */
    static final class Row
    {
        final Map<String, String> fields;

        Row(final Map<String, String> fields)
        {
            this.fields = fields;
        }

        String get(final String name)
        {
            return fields.getOrDefault(name, "");
        }

        double number(final String name)
        {
            final String value = get(name);
            return value.isEmpty() ? Double.NaN : Double.parseDouble(value);
        }
    }

    private final Path raw;
    private final Map<String, List<Row>> files = new LinkedHashMap<>();
    private final StringBuilder md = new StringBuilder();
    private final StringBuilder ratios = new StringBuilder();

    private SuiteReport(final Path raw)
    {
        this.raw = raw;
    }

    public static void main(final String[] args) throws IOException
    {
        final Args parsed = Args.parse(args, Set.of("raw", "out"));
        final Path raw = Path.of(parsed.required("raw"));
        final Path out = Path.of(parsed.required("out"));
        final SuiteReport report = new SuiteReport(raw);
        report.load();
        Files.createDirectories(out);
        Files.writeString(out.resolve("results.md"), report.markdown());
        Files.writeString(out.resolve("chart.svg"), report.chart());
        System.out.println(report.ratios);
        System.out.println("written: " + out.resolve("results.md") + " and " + out.resolve("chart.svg"));
    }

    private void load() throws IOException
    {
        try (var stream = Files.list(raw))
        {
            for (final Path file : stream.sorted().toList())
            {
                final String name = file.getFileName().toString();
                if (name.endsWith(".csv"))
                {
                    files.put(name.substring(0, name.length() - 4), parse(Files.readAllLines(file)));
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------- lookups

    /** The row of {@code file} whose columns match {@code column=value} pairs, or null. */
    private Row find(final String file, final String... match)
    {
        for (final Row row : files.getOrDefault(file, List.of()))
        {
            boolean all = true;
            for (int i = 0; i < match.length; i += 2)
            {
                all &= row.get(match[i]).equals(match[i + 1]);
            }
            if (all)
            {
                return row;
            }
        }
        return null;
    }

    /** start→join of one kind from a {@link StartJoinLatency} CSV, in the suite's column names. */
    private Row startJoin(final String file, final String kind)
    {
        final Row row = find(file, "section", "start-to-join", "kind", kind);
        if (null == row)
        {
            return null;
        }
        final Map<String, String> fields = new LinkedHashMap<>(row.fields);
        for (final String percentile : new String[] {"p50", "p90", "p99", "p99_9", "max", "mean"})
        {
            fields.put(percentile, row.get(percentile + "_us"));
        }
        fields.put("load1", startJoinLoad(file));
        if ("local".equals(kind))
        {
            fields.put("idle", "n/a");
            fields.put("channel", "none: local threads in the same JVM, beside the moved ones");
        }
        return new Row(fields);
    }

    /** StartJoinLatency's CSV has no load column; its text twin has "load average: X at the start, Y at the end". */
    private String startJoinLoad(final String file)
    {
        try
        {
            for (final String line : Files.readAllLines(raw.resolve(file + ".txt")))
            {
                if (line.startsWith("load average"))
                {
                    final String[] words = line.substring(line.indexOf(':') + 1).trim().split(" ");
                    return words[0] + "–" + words[4];
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            // No text file: leave the load out.
        }
        return "";
    }

    // ---------------------------------------------------------------------------------------------------- markdown

    private String markdown() throws IOException
    {
        md.append("# Virgo benchmark suite: results of one run\n\n");
        final Path suite = raw.resolve("suite.txt");
        if (Files.exists(suite))
        {
            for (final String line : Files.readAllLines(suite))
            {
                md.append("- ").append(line).append('\n');
            }
        }
        final Row any = files.values().stream().flatMap(List::stream).findFirst().orElse(null);
        if (null != any)
        {
            md.append("- JDK: ").append(any.get("jdk")).append("; CPU: ").append(any.get("cpu"))
                .append("; cores (availableProcessors): ").append(any.get("processors")).append('\n');
        }
        md.append("- Every row below carries its own idle strategy, channel and 1-minute load average (the machine " +
            "is shared: compare rows of this run with each other, not with other runs).\n\n");

        roundTrips();
        throughput();
        scale();
        agentOverhead();
        sharedHeap();
        return md.toString();
    }

    private List<Object[]> roundTripRows()
    {
        final List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {"Virgo: moved empty thread start→join, embedded (IPC)", startJoin("start-join-ipc", "moved")});
        rows.add(new Object[] {"Virgo: moved empty thread start→join, UDP loopback", startJoin("start-join-udp", "moved")});
        rows.add(new Object[] {"local `new Thread(r).start(); join()` (beside IPC run)", startJoin("start-join-ipc", "local")});
        rows.add(new Object[] {"local `new Thread(r).start(); join()` (beside UDP run)", startJoin("start-join-udp", "local")});
        rows.add(new Object[] {"raw Aeron ping-pong 32 B, IPC", find("aeron-ipc", "benchmark", "aeron-ping-pong")});
        rows.add(new Object[] {"raw Aeron ping-pong 32 B, UDP", find("aeron-udp", "benchmark", "aeron-ping-pong")});
        rows.add(new Object[] {"JDK RMI no-op call", find("rmi", "benchmark", "rmi")});
        rows.add(new Object[] {"Hazelcast `submitToMember(noop).get()`", find("hazelcast", "metric", "round trip")});
        return rows;
    }

    private void roundTrips()
    {
        md.append("## Round trips (µs)\n\n| what | p50 | p90 | p99 | p99.9 | max | count | idle | channel | load |\n")
            .append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (final Object[] entry : roundTripRows())
        {
            latencyRow((String)entry[0], (Row)entry[1]);
        }
        md.append("\n![round trips](chart.svg)\n\n");

        md.append("### Ratios: Virgo's moved thread / peer (above 1: Virgo is slower)\n\n")
            .append("| Virgo / peer | p50 | p99 | p99.9 |\n| --- | --- | --- | --- |\n");
        ratios.append("Virgo / peer ratios (p50, p99, p99.9; above 1: Virgo slower)\n");
        final Row ipc = startJoin("start-join-ipc", "moved");
        final Row udp = startJoin("start-join-udp", "moved");
        ratio("IPC moved / local thread (same JVM, same run)", ipc, startJoin("start-join-ipc", "local"));
        ratio("IPC moved / raw Aeron IPC round trip", ipc, find("aeron-ipc", "benchmark", "aeron-ping-pong"));
        ratio("IPC moved / RMI no-op", ipc, find("rmi", "benchmark", "rmi"));
        ratio("IPC moved / Hazelcast submitToMember", ipc, find("hazelcast", "metric", "round trip"));
        ratio("UDP moved / local thread (same JVM, same run)", udp, startJoin("start-join-udp", "local"));
        ratio("UDP moved / raw Aeron UDP round trip", udp, find("aeron-udp", "benchmark", "aeron-ping-pong"));
        ratio("UDP moved / RMI no-op", udp, find("rmi", "benchmark", "rmi"));
        ratio("UDP moved / Hazelcast submitToMember", udp, find("hazelcast", "metric", "round trip"));
        md.append('\n');

        final Row ipcStart = find("start-join-ipc", "section", "start-call", "kind", "moved");
        final Row localStart = find("start-join-ipc", "section", "start-call", "kind", "local");
        if (null != ipcStart && null != localStart)
        {
            md.append("`start()` alone returns after ").append(ipcStart.get("p50_us")).append(" µs (p50) for a moved " +
                "thread against ").append(localStart.get("p50_us")).append(" µs for a local one (IPC run).\n\n");
        }
    }

    private void latencyRow(final String name, final Row row)
    {
        if (null == row)
        {
            md.append("| ").append(name).append(" | not measured (its step failed or did not run: see the run's log) |" +
                " | | | | | | | |\n");
            return;
        }
        md.append("| ").append(name).append(" | **").append(row.get("p50")).append("** | ")
            .append(row.get("p90")).append(" | ").append(row.get("p99")).append(" | ").append(row.get("p99_9"))
            .append(" | ").append(row.get("max")).append(" | ").append(row.get("count")).append(" | ")
            .append(row.get("idle")).append(" | ").append(row.get("channel")).append(" | ")
            .append(row.get("load1")).append(" |\n");
    }

    private void ratio(final String name, final Row virgo, final Row peer)
    {
        if (null == virgo || null == peer)
        {
            md.append("| ").append(name).append(" | not measured | | |\n");
            ratios.append(String.format(Locale.ROOT, "  %-48s not measured%n", name));
            return;
        }
        final double[] values = new double[3];
        final String[] columns = {"p50", "p99", "p99_9"};
        for (int i = 0; i < 3; i++)
        {
            values[i] = virgo.number(columns[i]) / peer.number(columns[i]);
        }
        md.append(String.format(Locale.ROOT, "| %s | **%.2fx** | %.2fx | %.2fx |%n", name, values[0], values[1],
            values[2]));
        ratios.append(String.format(Locale.ROOT, "  %-48s %7.2fx %7.2fx %7.2fx%n", name, values[0], values[1],
            values[2]));
    }

    private void throughput()
    {
        md.append("## Pipelined throughput (a batch started, then all joined / awaited)\n\n")
            .append("| what | per second | count | idle | channel | load |\n| --- | --- | --- | --- | --- | --- |\n");
        final Row ipc = find("pipelined-ipc", "variant", "moved");
        final Row udp = find("pipelined-udp", "variant", "moved");
        final Row localIpc = find("pipelined-ipc", "variant", "local");
        final Row localUdp = find("pipelined-udp", "variant", "local");
        final Row hazelcast = find("hazelcast", "metric", "throughput");
        valueRow("Virgo: moved empty threads, embedded (IPC), " + metric(ipc), ipc, 0);
        valueRow("Virgo: moved empty threads, UDP loopback, " + metric(udp), udp, 0);
        valueRow("local threads (beside IPC run)", localIpc, 0);
        valueRow("local threads (beside UDP run)", localUdp, 0);
        valueRow("Hazelcast pipelined `submitToMember` (" + (null == hazelcast ? "" : hazelcast.get("variant")) +
            ")", hazelcast, 0);
        md.append("\n| Virgo / peer (throughput; below 1: Virgo slower) | ratio |\n| --- | --- |\n");
        ratios.append("Throughput ratios (below 1: Virgo slower)\n");
        valueRatio("IPC moved / local threads (same run)", ipc, localIpc);
        valueRatio("IPC moved / Hazelcast pipelined submits", ipc, hazelcast);
        valueRatio("UDP moved / local threads (same run)", udp, localUdp);
        valueRatio("UDP moved / Hazelcast pipelined submits", udp, hazelcast);
        md.append('\n');
    }

    private static String metric(final Row row)
    {
        return null == row ? "" : row.get("metric");
    }

    private void valueRow(final String name, final Row row, final int decimals)
    {
        if (null == row)
        {
            md.append("| ").append(name).append(" | not measured (its step failed or did not run: see the run's log) | | | | |\n");
            return;
        }
        md.append("| ").append(name).append(" | **")
            .append(String.format(Locale.ROOT, "%,." + decimals + "f", row.number("p50"))).append(" ")
            .append(row.get("unit")).append("** | ").append(row.get("count")).append(" | ").append(row.get("idle"))
            .append(" | ").append(row.get("channel")).append(" | ").append(row.get("load1")).append(" |\n");
    }

    private void valueRatio(final String name, final Row virgo, final Row peer)
    {
        if (null == virgo || null == peer)
        {
            md.append("| ").append(name).append(" | not measured |\n");
            ratios.append(String.format(Locale.ROOT, "  %-48s not measured%n", name));
            return;
        }
        final double ratio = virgo.number("p50") / peer.number("p50");
        md.append(String.format(Locale.ROOT, "| %s | **%.2fx** |%n", name, ratio));
        ratios.append(String.format(Locale.ROOT, "  %-48s %7.2fx%n", name, ratio));
    }

    private void scale()
    {
        md.append("## Scale: a CPU-bound program with coarse threads\n\n")
            .append("Fixed work split into N threads; median wall time of the rounds after a warm-up round. " +
                "Efficiency = plain threads' time / Virgo's time for the same split (1.00: as fast as plain " +
                "threads on the same cores). Speed-up = one plain thread's time / this time.\n\n")
            .append("| program | threads | median round ms | speed-up vs 1 plain thread | efficiency vs plain, same " +
                "threads | checksum | channel | load |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        ratios.append("Scale: efficiency = plain time / Virgo time, same threads\n");
        final Row serial = find("scale-plain-1", "metric", "median round");
        for (final String[] run : new String[][] {
            {"scale-plain-1", "plain threads", "1", null},
            {"scale-plain-2", "plain threads", "2", null},
            {"scale-plain-4", "plain threads", "4", null},
            {"scale-virgo1-2", "Virgo, localNodes=1", "2", "scale-plain-2"},
            {"scale-virgo1-4", "Virgo, localNodes=1", "4", "scale-plain-4"},
            {"scale-virgo2-2", "Virgo, localNodes=2", "2", "scale-plain-2"},
            {"scale-virgo2-4", "Virgo, localNodes=2", "4", "scale-plain-4"}})
        {
            final Row time = find(run[0], "metric", "median round");
            final Row checksum = find(run[0], "metric", "checksum");
            if (null == time)
            {
                md.append("| ").append(run[1]).append(" | ").append(run[2])
                    .append(" | not measured (its step failed or did not run) | | | | | |\n");
                continue;
            }
            final double ms = time.number("p50");
            final String speedUp = null == serial ? "" :
                String.format(Locale.ROOT, "%.2fx", serial.number("p50") / ms);
            String efficiency = "";
            if (null != run[3])
            {
                final Row plain = find(run[3], "metric", "median round");
                if (null != plain)
                {
                    final double ratio = plain.number("p50") / ms;
                    efficiency = String.format(Locale.ROOT, "**%.2f**", ratio);
                    ratios.append(String.format(Locale.ROOT, "  %-48s %7.2f%n", run[1] + ", " + run[2] + " threads",
                        ratio));
                }
            }
            md.append("| ").append(run[1]).append(" | ").append(run[2]).append(" | ")
                .append(String.format(Locale.ROOT, "%.0f", ms)).append(" | ").append(speedUp).append(" | ")
                .append(efficiency).append(" | ").append(null == checksum ? "" : checksum.get("p50")).append(" | ")
                .append(time.get("channel")).append(" | ").append(time.get("load1")).append(" |\n");
        }
        md.append('\n');
    }

    private void agentOverhead()
    {
        md.append("## Agent overhead (nothing moved)\n\n")
            .append("| what | no agent | agent, localNodes=0 | ratio | agent, default (2 local nodes) | ratio |\n")
            .append("| --- | --- | --- | --- | --- | --- |\n");
        ratios.append("Agent overhead (with agent / without)\n");
        final String metric = "hello-world wall time to exit, median";
        overheadRow("JVM start-up of a hello-world, median ms",
            find("agent-overhead", "benchmark", "startup", "variant", "no agent"),
            find("agent-overhead", "benchmark", "startup", "variant", "agent, localNodes=0"),
            find("agent-overhead", "benchmark", "startup", "variant", "agent, default (2 local nodes)"));
        for (final String statistic : new String[] {"p50", "p99", "mean"})
        {
            overheadRow("JMH `Thread.start(); join()` of a thread not moved, " + statistic + " µs",
                find("agent-overhead", "benchmark", "jmh Thread.start+join (not moved)", "variant", "no agent",
                    "metric", statistic),
                find("agent-overhead", "benchmark", "jmh Thread.start+join (not moved)", "variant",
                    "agent, localNodes=0", "metric", statistic),
                null);
        }
        final Row startup = find("agent-overhead", "metric", metric);
        if (null != startup)
        {
            md.append("\nStart-up: ").append(startup.get("count")).append(" runs of each, interleaved, after one " +
                "unmeasured run of each. JMH: SampleTime, 1 fork per variant, 3 × 1 s warm-up, 5 × 1 s measurement.\n");
        }
        md.append('\n');
    }

    private void overheadRow(final String name, final Row none, final Row agent, final Row defaultAgent)
    {
        md.append("| ").append(name).append(" | ");
        if (null == none || null == agent)
        {
            md.append("not measured (its step failed or did not run) | | | | |\n");
            return;
        }
        final double base = none.number("p50");
        md.append(String.format(Locale.ROOT, "%.1f | %.1f | **%.2fx** | ", base, agent.number("p50"),
            agent.number("p50") / base));
        ratios.append(String.format(Locale.ROOT, "  %-48s %7.2fx%n", name.replace("`", ""),
            agent.number("p50") / base));
        if (null != defaultAgent)
        {
            md.append(String.format(Locale.ROOT, "%.1f | **%.2fx** |%n", defaultAgent.number("p50"),
                defaultAgent.number("p50") / base));
        }
        else
        {
            md.append("| |\n");
        }
    }

    // ---------------------------------------------------------------------------------------------------- shared heap

    /** The aim of the issue for a hit: "within a few nanoseconds", read here as at most this. */
    private static final double HIT_AIM_NS = 5.0;
    /** The aim for a read miss: within twice the raw round trip of a page on the same channel. */
    private static final double READ_MISS_AIM_RATIO = 2.0;
    private static final String[][] HEAP_MISSES = {
        {"read-miss", "read miss (fresh page)"},
        {"read-miss-dirty", "read miss, page dirty at a third member"},
        {"write-miss-0", "write miss, 0 sharers"},
        {"write-miss-1", "write miss, 1 sharer"},
        {"write-miss-3", "write miss, 3 sharers"},
    };

    /** The heap's misses, the raw Aeron round trips beside them, then Hazelcast's IMap. */
    private List<Object[]> heapRoundTripRows()
    {
        final List<Object[]> rows = new ArrayList<>();
        for (final String channel : new String[] {"ipc", "udp"})
        {
            final String name = channel.toUpperCase(Locale.ROOT);
            for (final String[] miss : HEAP_MISSES)
            {
                rows.add(new Object[] {"Virgo heap: " + miss[1] + ", " + name,
                    find("heap-" + channel, "variant", miss[0])});
            }
            rows.add(new Object[] {"raw Aeron round trip 8 B, " + name,
                find("aeron-" + channel + "-8", "benchmark", "aeron-ping-pong")});
            rows.add(new Object[] {"raw Aeron round trip 4 KiB, " + name,
                find("aeron-" + channel + "-4096", "benchmark", "aeron-ping-pong")});
        }
        for (final String variant : new String[] {"get 4 KiB", "put 4 KiB", "set 4 KiB", "get 8 B", "put 8 B"})
        {
            final int space = variant.indexOf(' ');
            rows.add(new Object[] {"Hazelcast `IMap." + variant.substring(0, space) + "`" + variant.substring(space) +
                ", remote key", find("hazelcast-map", "variant", variant)});
        }
        return rows;
    }

    private void sharedHeap()
    {
        md.append("## Shared heap (issue 4, item 3)\n\n")
            .append("Members of one shared heap, each in its own JVM (`SharedHeapLatency`): member 0 is the home of " +
                "every page measured, member 1 makes the timed accesses, members 2–4 hold read copies when a write " +
                "miss has sharers (the home holds none, so 3 sharers are 5 JVMs). Each access is to a fresh page " +
                "(one never touched, or for the dirty read one member 2 has just written), 4 KiB pages. The raw " +
                "Aeron round trips ran right before, on the same channel and idle strategy; Hazelcast's IMap is two " +
                "members over TCP loopback with the keys owned by the other member.\n\n");

        md.append("### Hits: JMH, mean ns per access (one member, page held; ± the 99.9% error)\n\n")
            .append("| what | ns | / `long[]` read | / `UnsafeBuffer` volatile access |\n| --- | --- | --- | --- |\n");
        final Row array = find("heap-hit", "variant", "arrayRead", "metric", "mean");
        final Row bufferGet = find("heap-hit", "variant", "bufferGetLongVolatile", "metric", "mean");
        final Row bufferPut = find("heap-hit", "variant", "bufferPutLongVolatile", "metric", "mean");
        hitRow("Virgo heap `getLong`, page held", "heapGetLong", array, bufferGet);
        hitRow("Virgo heap `putLong`, page held exclusively", "heapPutLong", array, bufferPut);
        hitRow("`long[]` read", "arrayRead", null, null);
        hitRow("Agrona `UnsafeBuffer.getLongVolatile`", "bufferGetLongVolatile", array, null);
        hitRow("Agrona `UnsafeBuffer.putLongVolatile`", "bufferPutLongVolatile", array, null);
        final Row jmhHit = find("heap-hit", "variant", "heapGetLong", "metric", "mean");
        if (null != jmhHit)
        {
            md.append("\nJMH: average time, one fork per method, ").append(jmhHit.get("count"))
                .append(" measured iterations of 1 s. Load ").append(jmhHit.get("load1")).append(".\n");
        }

        md.append("\n### Hits timed one by one (`System.nanoTime()` around each call), ns\n\n")
            .append("| what | p50 | p90 | p99 | p99.9 | count | channel | load |\n")
            .append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        nsRow("Virgo heap `getLong`, page held (IPC run)", find("heap-ipc", "variant", "hit"));
        nsRow("Virgo heap `getLong`, page held (UDP run)", find("heap-udp", "variant", "hit"));
        nsRow("Hazelcast near-cache `IMap.get`, 8 B, OBJECT format", find("hazelcast-map", "variant",
            "near-cache get 8 B"));
        nsRow("the timing alone: two `nanoTime()` calls (heap IPC run)", find("heap-ipc", "variant", "timer"));
        nsRow("the timing alone: two `nanoTime()` calls (Hazelcast run)", find("hazelcast-map", "variant", "timer"));

        md.append("\n### Misses beside raw Aeron and Hazelcast (µs)\n\n")
            .append("| what | p50 | p90 | p99 | p99.9 | max | count | idle | channel | load |\n")
            .append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (final Object[] entry : heapRoundTripRows())
        {
            latencyRow((String)entry[0], (Row)entry[1]);
        }

        md.append("\n### Ratios (above 1: Virgo slower)\n\n| Virgo / peer | p50 | p99 | p99.9 |\n")
            .append("| --- | --- | --- | --- |\n");
        ratios.append("Shared heap: Virgo / peer (p50, p99, p99.9; above 1: Virgo slower)\n");
        for (final String channel : new String[] {"ipc", "udp"})
        {
            final String name = channel.toUpperCase(Locale.ROOT);
            final Row page = find("aeron-" + channel + "-4096", "benchmark", "aeron-ping-pong");
            final Row small = find("aeron-" + channel + "-8", "benchmark", "aeron-ping-pong");
            ratio(name + " read miss / raw 4 KiB round trip", find("heap-" + channel, "variant", "read-miss"), page);
            ratio(name + " read miss / raw 8 B round trip", find("heap-" + channel, "variant", "read-miss"), small);
            ratio(name + " dirty read miss / raw 4 KiB round trip",
                find("heap-" + channel, "variant", "read-miss-dirty"), page);
            for (final String sharers : new String[] {"0", "1", "3"})
            {
                ratio(name + " write miss, " + sharers + (sharers.equals("1") ? " sharer" : " sharers") +
                    " / raw 4 KiB round trip",
                    find("heap-" + channel, "variant", "write-miss-" + sharers), page);
            }
        }
        final Row get = find("hazelcast-map", "variant", "get 4 KiB");
        final Row put = find("hazelcast-map", "variant", "put 4 KiB");
        final Row set = find("hazelcast-map", "variant", "set 4 KiB");
        ratio("UDP read miss / Hazelcast IMap.get 4 KiB", find("heap-udp", "variant", "read-miss"), get);
        ratio("UDP write miss, 0 sharers / Hazelcast IMap.put 4 KiB", find("heap-udp", "variant", "write-miss-0"), put);
        ratio("UDP write miss, 0 sharers / Hazelcast IMap.set 4 KiB", find("heap-udp", "variant", "write-miss-0"), set);
        ratio("IPC read miss / Hazelcast IMap.get 4 KiB (TCP)", find("heap-ipc", "variant", "read-miss"), get);
        ratio("IPC write miss, 0 sharers / Hazelcast IMap.put 4 KiB (TCP)", find("heap-ipc", "variant",
            "write-miss-0"), put);
        ratio("hit timed one by one (IPC run) / Hazelcast near-cache get", find("heap-ipc", "variant", "hit"),
            find("hazelcast-map", "variant", "near-cache get 8 B"));
        md.append('\n');

        md.append("### The issue's aims\n\n| aim | measured | met? |\n| --- | --- | --- |\n");
        if (null == jmhHit)
        {
            md.append("| a hit within a few ns (here: ≤ ").append(trim(HIT_AIM_NS))
                .append(" ns) | not measured | |\n");
        }
        else
        {
            final double ns = jmhHit.number("p50");
            md.append(String.format(Locale.ROOT, "| a hit within a few ns (here: ≤ %.0f ns) | `getLong` %.1f ns " +
                "(JMH mean) | **%s** |%n", HIT_AIM_NS, ns, ns <= HIT_AIM_NS ? "yes" : "no"));
        }
        for (final String channel : new String[] {"ipc", "udp"})
        {
            final Row miss = find("heap-" + channel, "variant", "read-miss");
            final Row page = find("aeron-" + channel + "-4096", "benchmark", "aeron-ping-pong");
            final String aim = "| a read miss within " + trim(READ_MISS_AIM_RATIO) + "x the raw 4 KiB round trip, " +
                channel.toUpperCase(Locale.ROOT) + ", p50 | ";
            if (null == miss || null == page)
            {
                md.append(aim).append("not measured | |\n");
                continue;
            }
            final double ratio = miss.number("p50") / page.number("p50");
            md.append(aim).append(String.format(Locale.ROOT, "%s / %s µs = %.2fx | **%s** |%n", miss.get("p50"),
                page.get("p50"), ratio, ratio <= READ_MISS_AIM_RATIO ? "yes" : "no"));
        }
        md.append('\n');
    }

    private void hitRow(final String name, final String method, final Row array, final Row buffer)
    {
        final Row mean = find("heap-hit", "variant", method, "metric", "mean");
        final Row error = find("heap-hit", "variant", method, "metric", "error 99.9%");
        if (null == mean)
        {
            md.append("| ").append(name).append(" | not measured (its step failed or did not run: see the run's log) | | |\n");
            return;
        }
        final double ns = mean.number("p50");
        md.append(String.format(Locale.ROOT, "| %s | **%.2f** ± %.2f | %s | %s |%n", name, ns,
            null == error ? Double.NaN : error.number("p50"),
            null == array ? "" : String.format(Locale.ROOT, "%.1fx", ns / array.number("p50")),
            null == buffer ? "" : String.format(Locale.ROOT, "%.1fx", ns / buffer.number("p50"))));
    }

    private void nsRow(final String name, final Row row)
    {
        if (null == row)
        {
            md.append("| ").append(name).append(" | not measured (its step failed or did not run: see the run's log) | | | | | | |\n");
            return;
        }
        md.append("| ").append(name).append(" | **").append(row.get("p50")).append("** | ").append(row.get("p90"))
            .append(" | ").append(row.get("p99")).append(" | ").append(row.get("p99_9")).append(" | ")
            .append(row.get("count")).append(" | ").append(row.get("channel")).append(" | ").append(row.get("load1"))
            .append(" |\n");
    }

    // ---------------------------------------------------------------------------------------------------- chart

    /** Horizontal bars on a log scale: p50 dark, p99 light behind it, the figures written at the end. */
    private String chart()
    {
        final List<Object[]> rows = new ArrayList<>(roundTripRows());
        rows.add(new Object[] {"Shared heap: misses of 4 KiB pages, beside raw Aeron and Hazelcast's IMap"});
        rows.addAll(heapRoundTripRows());
        final int labelWidth = 390;
        final int plotWidth = 520;
        final int rowHeight = 30;
        final int top = 50;
        final int height = top + rows.size() * rowHeight + 50;
        final int width = labelWidth + plotWidth + 150;
        final double minLog = 0;  // 1 µs
        final double maxLog = 5;  // 100 ms
        final StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" " +
            "font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        final Row any = files.values().stream().flatMap(List::stream).findFirst().orElse(null);
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">" +
            "Round trips, µs (log scale): p50 dark, p99 light%s</text>%n", null == any ? "" :
            escape(" — JDK " + any.get("jdk").split(" ")[0] + ", " + any.get("processors") + " cores, " +
                any.get("cpu"))));
        for (int decade = 0; decade <= 5; decade++)
        {
            final double x = labelWidth + plotWidth * (decade - minLog) / (maxLog - minLog);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" " +
                "stroke=\"#ddd\"/>%n", x, top - 10, x, top + rows.size() * rowHeight));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" " +
                "fill=\"#555\">%s</text>%n", x, top + rows.size() * rowHeight + 16,
                new String[] {"1", "10", "100", "1 ms", "10 ms", "100 ms"}[decade]));
        }
        for (int i = 0; i < rows.size(); i++)
        {
            final int y = top + i * rowHeight;
            final String label = ((String)rows.get(i)[0]).replace("`", "");
            if (rows.get(i).length == 1)
            {
                svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">%s</text>%n",
                    y + 17, escape(label)));
                continue;
            }
            final Row row = (Row)rows.get(i)[1];
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                labelWidth - 8, y + 17, escape(label)));
            if (null == row)
            {
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#a00\">not measured</text>%n",
                    labelWidth + 4, y + 17));
                continue;
            }
            final boolean virgo = label.startsWith("Virgo");
            final double p50 = row.number("p50");
            final double p99 = row.number("p99");
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"20\" " +
                "fill=\"%s\"/>%n", labelWidth, y + 4, barWidth(p99, plotWidth, minLog, maxLog),
                virgo ? "#f4b183" : "#b4c7e7"));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"20\" " +
                "fill=\"%s\"/>%n", labelWidth, y + 4, barWidth(p50, plotWidth, minLog, maxLog),
                virgo ? "#c55a11" : "#2f5597"));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s / %s</text>%n",
                labelWidth + barWidth(p99, plotWidth, minLog, maxLog) + 6, y + 18, trim(p50), trim(p99)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" fill=\"#555\">Written by " +
            "dev.virgo.benchmarks.SuiteReport from benchmarks/results/raw; figures p50 / p99 in µs.</text>%n",
            height - 10));
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static double barWidth(final double micros, final int plotWidth, final double minLog, final double maxLog)
    {
        final double log = Math.log10(Math.max(1, micros));
        return plotWidth * (Math.min(log, maxLog) - minLog) / (maxLog - minLog);
    }

    private static String trim(final double micros)
    {
        return micros >= 100 ? String.format(Locale.ROOT, "%,.0f", micros) :
            String.format(Locale.ROOT, "%.1f", micros);
    }

    private static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    // ---------------------------------------------------------------------------------------------------- csv

    static List<Row> parse(final List<String> lines)
    {
        final List<Row> rows = new ArrayList<>();
        if (lines.isEmpty())
        {
            return rows;
        }
        final List<String> header = split(lines.get(0));
        for (final String line : lines.subList(1, lines.size()))
        {
            if (line.isBlank())
            {
                continue;
            }
            final List<String> values = split(line);
            final Map<String, String> fields = new LinkedHashMap<>();
            for (int i = 0; i < header.size() && i < values.size(); i++)
            {
                fields.put(header.get(i), values.get(i));
            }
            rows.add(new Row(fields));
        }
        return rows;
    }

    private static List<String> split(final String line)
    {
        final List<String> values = new ArrayList<>();
        final StringBuilder value = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++)
        {
            final char c = line.charAt(i);
            if (quoted)
            {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"')
                {
                    value.append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    value.append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                values.add(value.toString());
                value.setLength(0);
            }
            else
            {
                value.append(c);
            }
        }
        values.add(value.toString());
        return values;
    }
}
