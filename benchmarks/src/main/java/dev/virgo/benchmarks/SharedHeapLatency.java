package dev.virgo.benchmarks;

import dev.virgo.api.heap.GlobalAddress;
import dev.virgo.dsm.member.DsmMember;
import dev.virgo.dsm.member.MemberLinks;
import dev.virgo.dsm.member.PeerLink;
import dev.virgo.runtime.security.Handshake;
import dev.virgo.runtime.transport.AeronTransport;
import dev.virgo.runtime.transport.TransportSettings;
import org.HdrHistogram.Histogram;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.lang.management.ManagementFactory;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The shared heap's misses between JVMs, one member per JVM, timed where the access is made (HdrHistogram):
 * <ul>
 *     <li>{@code read-miss}: member 1 reads a long on a page homed at member 0 that no member has touched (a fresh page
 *     each time): READ to the home, DATA (the page) back;</li>
 *     <li>{@code read-miss-dirty}: the same read of a page that member 2 holds exclusively, having just written it:
 *     the home fetches the page back from member 2 before it grants the copy (two round trips);</li>
 *     <li>{@code write-miss-K}: member 1 writes a page homed at member 0 while K other members (2, 3, ...) hold read
 *     copies of it and member 1 holds none: the home invalidates the K copies and waits for every acknowledgement
 *     before it grants ownership. The home itself holds no copy, so K sharers take K + 2 JVMs: 3 sharers, 5 JVMs;</li>
 *     <li>{@code hit}: member 1 reads pages it holds, timed one by one as the misses are, beside {@code timer}, the
 *     cost of the timing itself (two {@code System.nanoTime()} calls). JMH's figure is
 *     {@link SharedHeapHitBenchmark}'s.</li>
 * </ul>
 * This JVM is the coordinator and member 0, the home of every page measured (its {@code malloc} hands out pages homed
 * at itself); it starts the other members' JVMs one by one as the scenarios need them (the read miss runs with two
 * JVMs alive, as the raw ping-pong does) and drives them over their standard input and output
 * ({@link HeapMemberProcess}). Pages come in batches of one allocation each; the sharers read a batch, then member 1
 * runs through it, one timed access per page, so nothing else is asked of the home while it serves the timed misses.
 * After a batch the home reads a written value back, and a read's sum must match what was written. Before the first
 * scenario member 1 reads and writes {@code prime} pages untimed, and each scenario has {@code warmup} pages of its
 * own before its {@code iterations} timed ones.
 *
 * <p>The channel is set up as Virgo's: {@code channel=ipc}, one embedded media driver in this JVM that the others
 * connect to, {@code aeron:ipc}; {@code channel=udp}, a driver in each JVM, UDP on 127.0.0.1. The media drivers and
 * the members' conductors use the {@code idle=} strategy. Every link is protected as Virgo protects it (MAC'd over
 * IPC, encrypted over UDP, see {@link Handshake#encrypts}); the keys are derived from a random seed the coordinator
 * hands its member JVMs in their environment ({@value #KEY_SEED_ENV}), since no origin is here to hand them out.
 *
 * <p>Every wait is bounded: a member JVM has 60 s to start, a command 60 s to be answered, a miss 5 s (the member's own
 * timeout), and the whole run {@code timeoutS}. On any failure every member JVM is killed; a member JVM whose
 * standard input closes (this JVM has gone) leaves by itself.
 * <pre>
 * java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp virgo-heap-benchmarks.jar \
 *     dev.virgo.benchmarks.SharedHeapLatency channel=ipc dir=/dev/shm/x out=heap-ipc.csv
 * </pre>
 */
public final class SharedHeapLatency
{
    static final int HOME = 0;
    static final int ACCESSOR = 1;
    static final int FIRST_SHARER = 2;
    private static final int FIRST_STREAM_ID = 2001;
    private static final long MISS_TIMEOUT_MS = 5_000;
    private static final long START_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long REPLY_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(60);
    private static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(20);
    static final String KEY_SEED_ENV = "VIRGO_BENCH_HEAP_KEY_SEED";

    /** Where members are and how they talk: the same for every member of a run. */
    static final class Layout
    {
        final boolean ipc;
        final String dir;
        final int[] udpPorts;
        final String idle;
        final int pageSizeBytes;
        final int members;

        Layout(
            final boolean ipc, final String dir, final int[] udpPorts, final String idle, final int pageSizeBytes,
            final int members)
        {
            this.ipc = ipc;
            this.dir = dir;
            this.udpPorts = udpPorts;
            this.idle = idle;
            this.pageSizeBytes = pageSizeBytes;
            this.members = members;
        }

        String channel(final int id)
        {
            return ipc ? "aeron:ipc" : "aeron:udp?endpoint=127.0.0.1:" + udpPorts[id];
        }

        /** Member {@code self}'s links to every other member, keyed key(i to j) = HMAC-SHA256(seed, i, j). */
        List<PeerLink> peers(final int self, final byte[] seed)
        {
            final List<PeerLink> peers = new ArrayList<>();
            for (int id = 0; id < members; id++)
            {
                if (id != self)
                {
                    peers.add(new PeerLink(id, channel(id), FIRST_STREAM_ID + id, key(seed, self, id),
                        key(seed, id, self), Handshake.encrypts(channel(id)), Handshake.encrypts(channel(self))));
                }
            }
            return peers;
        }

        private static byte[] key(final byte[] seed, final int from, final int to)
        {
            try
            {
                final Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(seed, "HmacSHA256"));
                return mac.doFinal(new byte[]{(byte)from, (byte)to});
            }
            catch (final GeneralSecurityException ex)
            {
                throw new IllegalStateException("cannot derive a heap key: " + ex, ex);
            }
        }

        /** IPC: the home launches the one driver and the others connect to it. UDP: a driver per member. */
        AeronTransport transport(final int id)
        {
            final TransportSettings settings = new TransportSettings()
                .aeronDir(ipc ? dir : dir + "-" + id)
                .idleStrategy(idle);
            return ipc && id != HOME ? AeronTransport.connect(settings) : AeronTransport.launchEmbedded(settings);
        }

        String channelDescription()
        {
            return ipc ?
                "Aeron IPC, one shared media driver (SHARED) in the home's JVM, a JVM per member" :
                "Aeron UDP 127.0.0.1, a media driver (SHARED) in each member's JVM";
        }

        List<String> memberArgs(final int id, final int timeoutS)
        {
            final List<String> args = new ArrayList<>(List.of("role=member", "id=" + id, "members=" + members,
                "channel=" + (ipc ? "ipc" : "udp"), "dir=" + dir, "idle=" + idle, "pageSizeBytes=" + pageSizeBytes,
                "timeoutS=" + timeoutS));
            if (!ipc)
            {
                args.add("ports=" + String.join(",", Arrays.stream(udpPorts).mapToObj(String::valueOf).toList()));
            }
            return args;
        }
    }

    /** One batch of pages: one allocation at the home, one timed (or untimed) access per page. */
    @FunctionalInterface
    interface Batch
    {
        void run(long address, int pages, String histogram, long base);
    }

    private final Args parsed;
    private final Layout layout;
    private final int timeoutS;
    private final int batchPages;
    private final List<HeapMemberProxy> proxies = new ArrayList<>();
    /** Scenario name to what was measured, in the order measured. */
    private final Map<String, String> measured = new LinkedHashMap<>();
    private final byte[] keySeed = new byte[Handshake.KEY_BYTES];
    private DsmMember home;
    private long batches;
    private long lastReadAddress;
    private int lastReadPages;

    private SharedHeapLatency(final Args parsed, final Layout layout, final int timeoutS)
    {
        this.parsed = parsed;
        this.layout = layout;
        this.timeoutS = timeoutS;
        this.batchPages = Math.max(1, parsed.integer("batch", 500));
        new SecureRandom().nextBytes(keySeed);
    }

    public static void main(final String[] args) throws Exception
    {
        final Args parsed = Args.parse(args, Set.of("role", "id", "members", "channel", "dir", "ports", "idle",
            "pageSizeBytes", "prime", "warmup", "iterations", "batch", "sharers", "out", "timeoutS"));
        final String role = parsed.string("role", "coordinator");
        final int timeoutS = parsed.integer("timeoutS", 170);
        Args.exitAfter("shared-heap " + role, timeoutS);
        final String channel = parsed.string("channel", "ipc");
        if (!"ipc".equals(channel) && !"udp".equals(channel))
        {
            throw new IllegalArgumentException("channel=" + channel + ": expected ipc or udp");
        }
        final boolean ipc = "ipc".equals(channel);
        final int pageSizeBytes = parsed.integer("pageSizeBytes", 4096);
        final String idle = parsed.string("idle", "backoff");
        if ("member".equals(role))
        {
            final int members = parsed.integer("members", 0);
            final int[] ports = ipc ? new int[0] :
                Arrays.stream(parsed.required("ports").split(",")).mapToInt(Integer::parseInt).toArray();
            serveAsMember(new Layout(ipc, parsed.required("dir"), ports, idle, pageSizeBytes, members),
                parsed.integer("id", 0));
        }
        else
        {
            final int[] sharers = sharers(parsed.string("sharers", "0,1,3"));
            final int members = FIRST_SHARER + Math.max(1, Arrays.stream(sharers).max().orElse(0));
            final Layout layout = new Layout(ipc, parsed.required("dir"), ipc ? new int[0] : freeUdpPorts(members),
                idle, pageSizeBytes, members);
            new SharedHeapLatency(parsed, layout, timeoutS).coordinate(sharers);
        }
        System.exit(0);
    }

    private static void serveAsMember(final Layout layout, final int id) throws Exception
    {
        final AeronTransport transport = layout.transport(id);
        final String seed = System.getenv(KEY_SEED_ENV);
        if (null == seed)
        {
            throw new IllegalStateException(KEY_SEED_ENV + " is not set: members are started by the coordinator");
        }
        final MemberLinks links = new MemberLinks(id, transport, layout.channel(id), FIRST_STREAM_ID + id,
            layout.peers(id, HexFormat.of().parseHex(seed)));
        final DsmMember member = new DsmMember(links, layout.pageSizeBytes, MISS_TIMEOUT_MS, layout.idle);
        try
        {
            HeapMemberProcess.serve(member, layout.pageSizeBytes);
        }
        finally
        {
            member.close();
            links.close();
            transport.close();
        }
        System.out.println(HeapMemberProcess.REPLY_PREFIX + "bye");
        System.out.flush();
    }

    // ---------------------------------------------------------------------------------------------- coordinator

    private void coordinate(final int[] sharers) throws Exception
    {
        final long beganNs = System.nanoTime();
        final AeronTransport transport = layout.transport(HOME);
        final MemberLinks links = new MemberLinks(HOME, transport, layout.channel(HOME), FIRST_STREAM_ID + HOME,
            layout.peers(HOME, keySeed));
        home = new DsmMember(links, layout.pageSizeBytes, MISS_TIMEOUT_MS, layout.idle);
        // A watchdog's halt skips this, but then the members see their input close and leave by themselves.
        final Thread killMembers = new Thread(() -> proxies.forEach(HeapMemberProxy::kill), "kill-heap-members");
        Runtime.getRuntime().addShutdownHook(killMembers);
        final Map<String, Histogram> histograms = new LinkedHashMap<>();
        try
        {
            startMembers(FIRST_SHARER);
            prime();
            readMiss();
            hit();
            boolean dirtyMeasured = false;
            for (final int sharerCount : sharers)
            {
                startMembers(FIRST_SHARER + sharerCount);
                if (sharerCount >= 1 && !dirtyMeasured)
                {
                    readMissDirty();
                    dirtyMeasured = true;
                }
                writeMiss(sharerCount);
            }
            if (!dirtyMeasured)
            {
                startMembers(FIRST_SHARER + 1);
                readMissDirty();
            }
            for (final String name : measured.keySet())
            {
                histograms.put(name, HeapMemberProcess.decode(proxy(ACCESSOR).call("histogram " + name)));
            }
            histograms.put("timer", HeapMemberProcess.decode(proxy(ACCESSOR).call("histogram timer")));
            measured.put("timer", "two System.nanoTime() calls with nothing between (the cost of timing a hit)");
        }
        catch (final Exception ex)
        {
            proxies.forEach(HeapMemberProxy::kill);
            throw ex;
        }
        finally
        {
            for (final HeapMemberProxy proxy : proxies)
            {
                proxy.close();
            }
            home.close();
            links.close();
            transport.close();
            Runtime.getRuntime().removeShutdownHook(killMembers);
        }

        final ResultFile results = new ResultFile(parsed.required("out"), layout.idle, layout.channelDescription());
        for (final Map.Entry<String, Histogram> entry : histograms.entrySet())
        {
            final String name = entry.getKey();
            if ("hit".equals(name) || "timer".equals(name))
            {
                results.latencyNs("shared-heap", name, measured.get(name), entry.getValue());
            }
            else
            {
                results.latency("shared-heap", name, measured.get(name), entry.getValue());
            }
        }
        results.write();
        System.out.printf(Locale.ROOT, "shared heap over %s: %d batches, %.1f s%n", layout.ipc ? "IPC" : "UDP",
            batches, (System.nanoTime() - beganNs) / 1e9);
    }

    /**
     * Untimed: member 1 reads, then writes, {@code prime} fresh pages, so that both JVMs have compiled the miss paths
     * (member and home) before anything is timed: on 2 busy cores the JIT takes thousands of misses, more than one
     * scenario's own warm-up.
     */
    private void prime()
    {
        final int pages = parsed.integer("prime", 5_000);
        final long beganNs = System.nanoTime();
        runBatches(pages, HeapMemberProcess.UNTIMED, (address, count, histogram, base) ->
        {
            proxy(ACCESSOR).call(command("read", address, count, HeapMemberProcess.UNTIMED));
            proxy(ACCESSOR).call(command("write", address, count, HeapMemberProcess.UNTIMED) + " " + base);
        });
        System.out.printf(Locale.ROOT, "%-16s %,d pages read then written in %.1f s%n", "prime", pages,
            (System.nanoTime() - beganNs) / 1e9);
    }

    /** Fresh pages, never touched: the home grants its master copy at once. */
    private void readMiss()
    {
        scenario("read-miss", "getLong on a page homed at another member, not held (fresh page)", (address, pages,
            histogram, base) ->
        {
            final String sum = proxy(ACCESSOR).call(command("read", address, pages, histogram));
            expect("read of fresh pages", 0, Long.parseLong(sum));
            lastReadAddress = address;
            lastReadPages = pages;
        });
    }

    /** The pages of the last read batch, which member 1 holds: hits, 100 rounds over them after 10 unmeasured. */
    private void hit()
    {
        final long address = lastReadAddress;
        final int pages = lastReadPages;
        proxy(ACCESSOR).call(command("hit", address, pages, HeapMemberProcess.UNTIMED) + " 10");
        proxy(ACCESSOR).call(command("hit", address, pages, "hit") + " 100");
        measured.put("hit", "getLong on a page held already, timed one by one with System.nanoTime() (" + pages +
            " pages x 100 rounds)");
    }

    /** Member 2 writes each page first (untimed), so the home must fetch it back from member 2 before granting. */
    private void readMissDirty()
    {
        scenario("read-miss-dirty", "getLong on a page homed at another member and held exclusively (just " +
            "written) by a third: the home fetches it back first", (address, pages, histogram, base) ->
        {
            proxy(FIRST_SHARER).call(command("write", address, pages, HeapMemberProcess.UNTIMED) + " " + base);
            final String sum = proxy(ACCESSOR).call(command("read", address, pages, histogram));
            expect("sum read back of values written by member " + FIRST_SHARER,
                pages * base + (long)pages * (pages - 1) / 2, Long.parseLong(sum));
        });
    }

    private void writeMiss(final int sharerCount)
    {
        scenario("write-miss-" + sharerCount, "putLong on a page homed at another member, not held, while " +
            sharerCount + " other member" + (sharerCount == 1 ? " holds a read copy" : "s hold read copies") +
            " (the home holds none)", (address, pages, histogram, base) ->
        {
            final String read = command("read", address, pages, HeapMemberProcess.UNTIMED);
            for (int i = 0; i < sharerCount; i++)
            {
                proxy(FIRST_SHARER + i).send(read);
            }
            for (int i = 0; i < sharerCount; i++)
            {
                expect("sharer's read of fresh pages", 0, Long.parseLong(proxy(FIRST_SHARER + i).await()));
            }
            proxy(ACCESSOR).call(command("write", address, pages, histogram) + " " + base);
            expect("value the home reads back at " + GlobalAddress.toString(address), base, home.getLong(address));
        });
    }

    /** {@code warmup} pages untimed, then {@code iterations} pages timed, in batches of fresh pages. */
    private void scenario(final String name, final String what, final Batch batch)
    {
        final int warmup = parsed.integer("warmup", 2_000);
        final int iterations = parsed.integer("iterations", 10_000);
        final long beganNs = System.nanoTime();
        runBatches(warmup, HeapMemberProcess.UNTIMED, batch);
        runBatches(iterations, name, batch);
        measured.put(name, what + "; " + (proxies.size() + 1) + " JVMs alive");
        System.out.printf(Locale.ROOT, "%-16s %,d + %,d pages in %.1f s%n", name, warmup, iterations,
            (System.nanoTime() - beganNs) / 1e9);
    }

    private void runBatches(final int pages, final String histogram, final Batch batch)
    {
        for (int done = 0; done < pages; )
        {
            final int count = Math.min(batchPages, pages - done);
            final long address = home.malloc((long)count * layout.pageSizeBytes);
            batch.run(address, count, histogram, ++batches * 1_000_000L);
            done += count;
        }
    }

    /** Starts member JVMs up to {@code count} members in all (with this one), and waits until all are linked. */
    private void startMembers(final int count) throws Exception
    {
        if (proxies.size() + 1 >= count)
        {
            return;
        }
        for (int id = proxies.size() + 1; id < count; id++)
        {
            final List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), SharedHeapLatency.class.getName()));
            command.addAll(layout.memberArgs(id, timeoutS));
            proxies.add(HeapMemberProxy.start(id, command, Map.of(KEY_SEED_ENV, HexFormat.of().formatHex(keySeed)),
                START_TIMEOUT_NS, REPLY_TIMEOUT_NS));
        }
        final StringBuilder everyone = new StringBuilder("connect");
        for (int id = 0; id < count; id++)
        {
            everyone.append(' ').append(id);
        }
        for (final HeapMemberProxy proxy : proxies)
        {
            proxy.send(everyone.toString());
        }
        for (final HeapMemberProxy proxy : proxies)
        {
            proxy.await();
        }
        final long deadlineNs = System.nanoTime() + CONNECT_TIMEOUT_NS;
        for (int id = 1; id < count; id++)
        {
            while (!home.isConnectedTo(id))
            {
                if (System.nanoTime() > deadlineNs)
                {
                    throw new IllegalStateException("home: no link to member " + id + " within 20 s");
                }
                Thread.sleep(1);
            }
        }
    }

    private HeapMemberProxy proxy(final int id)
    {
        return proxies.get(id - 1);
    }

    private static String command(final String verb, final long address, final int pages, final String histogram)
    {
        return verb + " " + Long.toHexString(address) + " " + pages + " " + histogram;
    }

    private static void expect(final String what, final long expected, final long actual)
    {
        if (expected != actual)
        {
            throw new IllegalStateException(what + ": " + actual + ", expected " + expected);
        }
    }

    private static int[] sharers(final String list)
    {
        final int[] counts = Arrays.stream(list.split(",")).map(String::trim).mapToInt(Integer::parseInt).sorted()
            .toArray();
        for (final int count : counts)
        {
            if (count < 0 || count > DsmMember.MAX_MEMBERS - FIRST_SHARER)
            {
                throw new IllegalArgumentException("sharers=" + list + ": each 0.." +
                    (DsmMember.MAX_MEMBERS - FIRST_SHARER) + " expected");
            }
        }
        return counts;
    }

    /** Ports free now on 127.0.0.1 for UDP, all different; the members bind them moments later. */
    private static int[] freeUdpPorts(final int count) throws Exception
    {
        final DatagramSocket[] sockets = new DatagramSocket[count];
        final int[] ports = new int[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                sockets[i] = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                ports[i] = sockets[i].getLocalPort();
            }
        }
        finally
        {
            for (final DatagramSocket socket : sockets)
            {
                if (null != socket)
                {
                    socket.close();
                }
            }
        }
        return ports;
    }
}
