package dev.virgo.benchmarks;

import dev.virgo.dsm.member.DsmMember;
import org.HdrHistogram.Histogram;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;

/**
 * One member of the shared heap in a JVM of its own, driven by {@link SharedHeapLatency} (the coordinator, which
 * started this JVM) over standard input and output: one command a line in, one reply a line out. Timed accesses are
 * recorded here, in the JVM that makes them, into named histograms the coordinator collects at the end.
 * <pre>
 *   command                              reply (first word)   what it does
 *   connect ID...                        @ok                  waits until this member can send to each ID
 *   read ADDRESS PAGES HISTOGRAM         @ok SUM              getLong of the first long of each page, in order
 *   write ADDRESS PAGES HISTOGRAM BASE   @ok                  putLong(first long of page i, BASE + i), in order
 *   hit ADDRESS PAGES HISTOGRAM ROUNDS   @ok SUM              getLong of pages held already, ROUNDS times each
 *   histogram NAME                       @histogram BASE64    the histogram, compressed (HdrHistogram's encoding)
 *   quit                                 @bye                 closes the member, its links and transport; exits
 * </pre>
 * HISTOGRAM {@code -} means untimed (warm-up, or a sharer's reads). Each access of {@code read} and {@code write}
 * must be a miss and each of {@code hit} a hit: the member's request count is checked after every command and a
 * mismatch is an {@code @error} reply, so a figure is never a hit passed off as a miss. Every failure is an
 * {@code @error} line and exit code 1; end of input (the coordinator is gone) ends this JVM too.
 */
final class HeapMemberProcess
{
    static final String REPLY_PREFIX = "@";
    static final String UNTIMED = "-";

    private final DsmMember member;
    private final int pageSizeBytes;
    private final Map<String, Histogram> histograms = new HashMap<>();
    private final PrintStream out;

    private HeapMemberProcess(final DsmMember member, final int pageSizeBytes, final PrintStream out)
    {
        this.member = member;
        this.pageSizeBytes = pageSizeBytes;
        this.out = out;
    }

    /** Serves commands until {@code quit} or end of input; closes nothing (the caller owns the member). */
    static void serve(final DsmMember member, final int pageSizeBytes) throws Exception
    {
        final PrintStream out = System.out;
        final HeapMemberProcess process = new HeapMemberProcess(member, pageSizeBytes, out);
        out.println(REPLY_PREFIX + "ready " + ProcessHandle.current().pid());
        out.flush();
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String line;
        while (null != (line = in.readLine()))
        {
            final String[] words = line.trim().split(" +");
            if ("quit".equals(words[0]))
            {
                return;
            }
            String reply;
            try
            {
                reply = process.execute(words);
            }
            catch (final RuntimeException ex)
            {
                out.println(REPLY_PREFIX + "error member " + member.memberId() + ", '" + line + "': " + ex);
                out.flush();
                throw ex;
            }
            out.println(REPLY_PREFIX + reply);
            out.flush();
        }
        throw new IllegalStateException("member " + member.memberId() + ": end of input, the coordinator is gone");
    }

    private String execute(final String[] words)
    {
        switch (words[0])
        {
            case "connect": return connect(words);
            case "read": return read(address(words[1]), count(words[2]), histogram(words[3]));
            case "write": return write(address(words[1]), count(words[2]), histogram(words[3]),
                Long.parseLong(words[4]));
            case "hit": return hit(address(words[1]), count(words[2]), histogram(words[3]), count(words[4]));
            case "histogram": return "histogram " + encode(histograms.get(words[1]), words[1]);
            default: throw new IllegalArgumentException("unknown command " + words[0]);
        }
    }

    private String connect(final String[] words)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (int i = 1; i < words.length; i++)
        {
            final int other = Integer.parseInt(words[i]);
            while (!member.isConnectedTo(other))
            {
                if (System.nanoTime() > deadlineNs)
                {
                    throw new IllegalStateException("member " + member.memberId() + ": no link to member " + other +
                        " within 20 s");
                }
                sleepMs(1);
            }
        }
        return "ok";
    }

    private String read(final long address, final int pages, final Histogram histogram)
    {
        final long requestsBefore = member.requestsSent();
        long sum = 0;
        for (int i = 0; i < pages; i++)
        {
            final long at = address + (long)i * pageSizeBytes;
            final long beganNs = System.nanoTime();
            sum += member.getLong(at);
            record(histogram, System.nanoTime() - beganNs);
        }
        expectRequests("read", requestsBefore, pages);
        return "ok " + sum;
    }

    private String write(final long address, final int pages, final Histogram histogram, final long base)
    {
        final long requestsBefore = member.requestsSent();
        for (int i = 0; i < pages; i++)
        {
            final long at = address + (long)i * pageSizeBytes;
            final long beganNs = System.nanoTime();
            member.putLong(at, base + i);
            record(histogram, System.nanoTime() - beganNs);
        }
        expectRequests("write", requestsBefore, pages);
        return "ok";
    }

    /** Hits, timed one by one like the misses, beside the cost of the timing itself (two nanoTime calls). */
    private String hit(final long address, final int pages, final Histogram histogram, final int rounds)
    {
        final Histogram timer = null == histogram ? null : histograms.computeIfAbsent(
            "timer", name -> new Histogram(TimeUnit.SECONDS.toNanos(10), 3));
        final long requestsBefore = member.requestsSent();
        long sum = 0;
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < pages; i++)
            {
                final long at = address + (long)i * pageSizeBytes;
                final long beganNs = System.nanoTime();
                sum += member.getLong(at);
                record(histogram, System.nanoTime() - beganNs);
                final long timerNs = System.nanoTime();
                record(timer, System.nanoTime() - timerNs);
            }
        }
        expectRequests("hit", requestsBefore, 0);
        return "ok " + sum;
    }

    private void expectRequests(final String command, final long before, final long expected)
    {
        final long sent = member.requestsSent() - before;
        if (sent != expected)
        {
            throw new IllegalStateException(command + ": member " + member.memberId() + " sent " + sent +
                " requests to homes, " + expected + " expected (one per page for a miss, none for a hit)");
        }
    }

    private Histogram histogram(final String name)
    {
        return UNTIMED.equals(name) ? null :
            histograms.computeIfAbsent(name, n -> new Histogram(TimeUnit.SECONDS.toNanos(10), 3));
    }

    private static void record(final Histogram histogram, final long ns)
    {
        if (null != histogram)
        {
            histogram.recordValue(Math.min(ns, histogram.getHighestTrackableValue()));
        }
    }

    private static String encode(final Histogram histogram, final String name)
    {
        if (null == histogram)
        {
            throw new IllegalArgumentException("no histogram named " + name);
        }
        final ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        final int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
    }

    /** The coordinator's side of {@code histogram NAME}. */
    static Histogram decode(final String base64) throws DataFormatException
    {
        return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
    }

    private static long address(final String hex)
    {
        return Long.parseUnsignedLong(hex, 16);
    }

    private static int count(final String text)
    {
        return Integer.parseInt(text);
    }

    private static void sleepMs(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }
}
