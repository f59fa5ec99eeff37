package dev.virgo.it;

import dev.virgo.it.apps.node.HeapOverUdpApp;
import dev.virgo.it.apps.node.LoopingApp;
import dev.virgo.it.apps.node.ParallelSumApp;
import dev.virgo.it.apps.node.TickerApp;
import dev.virgo.it.harness.Jdk;
import dev.virgo.it.harness.JvmProcess;
import dev.virgo.it.harness.JvmThreads;
import dev.virgo.it.harness.RawAeronSender;
import dev.virgo.it.harness.Virgo;
import dev.virgo.it.harness.VirgoTestLogs;
import org.agrona.IoUtil;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A standalone node ({@code java -jar virgo.jar node --bind 127.0.0.1:PORT}) serving origins that name it with
 * {@code nodes=127.0.0.1:PORT}: several origins at once, an origin that dies, a non-loopback bind, and bytes that are
 * not what a node expects.
 */
@ExtendWith(VirgoTestLogs.class)
class StandaloneNodeIT
{
    private static final Duration READY = Duration.ofSeconds(30);
    private static final Duration LOG_TIMEOUT = Duration.ofSeconds(20);
    private static final String REFUSED = "WARNING: refused message #";

    static List<Jdk> jdks()
    {
        return Jdk.available();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldServeSeveralOriginsAtOnce(final Jdk jdk) throws IOException
    {
        final int port = Virgo.freeUdpPort();
        final JvmProcess node = Virgo.node(jdk, port);
        final Path rendezvous = Files.createTempDirectory("virgo-it-rendezvous");
        try
        {
            // Both origins run at once; each one's workers wait (bounded) on the node until a worker of the other
            // origin has run there too, so passing means the node ran threads of two origins at the same time.
            final JvmProcess first = Virgo.origin(jdk, sumArgs(port), ParallelSumApp.class,
                "first", rendezvous.toString(), "second");
            final JvmProcess second = Virgo.origin(jdk, sumArgs(port), ParallelSumApp.class,
                "second", rendezvous.toString(), "first");
            final String firstOutput = Virgo.assertSucceeded(first);
            final String secondOutput = Virgo.assertSucceeded(second);

            for (final String[] run : List.of(
                new String[] {"first", firstOutput},
                new String[] {"second", secondOutput}))
            {
                final String label = run[0];
                assertTrue(run[1].contains("CHECK " + label + "-sum ok"), label + ": sum checked");
                assertRanInNode(run[1], label, node);
                for (int i = 0; i < ParallelSumApp.WORKERS; i++)
                {
                    assertTrue(run[1].contains("CHECK " + label + "-worker-" + i + "-met-peer ok"),
                        label + " worker " + i + " met a worker of the other origin on the node");
                }
            }
            assertTrue(node.isAlive(), "node still running");
            Virgo.assertNothingLeftOf(first.pid(), Duration.ofSeconds(20));
            Virgo.assertNothingLeftOf(second.pid(), Duration.ofSeconds(20));
        }
        finally
        {
            stopNode(node);
            IoUtil.delete(rendezvous.toFile(), true);
        }
    }

    /*
     * What this proves: the node notices an origin killed with kill -9 (no BYE) once it has been silent past
     * --origin-timeout-ms, says so naming that origin, interrupts that origin's thread, and the thread really ends:
     * before the kill the node's thread dump (jcmd Thread.print) shows a thread with the moved thread's name, and
     * afterwards it does not (a carrier bears the moved thread's name exactly while run() is executing, and takes
     * its own name back once run() has returned). Then the node still serves: a new origin's threads run there.
     *
     * What it does not prove: that a thread which ignores interruption would be stopped (the JVM cannot force it;
     * Virgo only interrupts); that everything the dead origin's session held (class loader, classes, carrier) is
     * freed; how close to the timeout the node notices (only that it waited at least the timeout).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldStopTheThreadsOfAnOriginThatWentAway(final Jdk jdk)
    {
        final int port = Virgo.freeUdpPort();
        final JvmProcess node = Virgo.node(jdk, port, "--origin-timeout-ms", "1000");
        final String threadName = "virgo-it-looper-" + Long.toHexString(System.nanoTime());
        JvmProcess originA = null;
        try
        {
            originA = Virgo.origin(jdk, "nodes=127.0.0.1:" + port + ",offload=dev.virgo.it.apps.node.LoopingApp*",
                LoopingApp.class, threadName);
            originA.awaitOutput("looping in " + node.pid(), READY);
            JvmThreads.awaitThread(jdk, node.pid(), threadName, true, LOG_TIMEOUT);

            final long pidA = originA.pid();
            originA.kill();
            assertFalse(originA.isAlive(), "origin A killed");

            final String log = node.awaitOutput("stopping its threads", LOG_TIMEOUT);
            final Matcher silent = Pattern.compile("WARNING: origin (\\S+) .*silent for (\\d+) ms; stopping its threads")
                .matcher(log);
            assertTrue(silent.find(), "the node's warning has the expected shape");
            assertTrue(silent.group(1).startsWith(pidA + "@"), "the warning names origin A (pid@host)");
            assertTrue(Long.parseLong(silent.group(2)) >= 1000, "silent for at least --origin-timeout-ms");

            JvmThreads.awaitThread(jdk, node.pid(), threadName, false, LOG_TIMEOUT);
            assertTrue(node.isAlive(), "node still running after dropping origin A");

            final JvmProcess originB = Virgo.origin(jdk, sumArgs(port), ParallelSumApp.class, "afterA");
            final String output = Virgo.assertSucceeded(originB);
            assertTrue(output.contains("CHECK afterA-sum ok"), "origin B's sum");
            assertRanInNode(output, "afterA", node);
            assertTrue(node.isAlive(), "node still running after origin B");
            assertFalse(node.output().contains("ERROR"), "no ERROR in the node's log");
            Virgo.assertNothingLeftOf(originB.pid(), Duration.ofSeconds(20));
        }
        finally
        {
            if (null != originA)
            {
                originA.close();
                deleteShmOf(originA.pid());
            }
            stopNode(node);
        }
    }

    /**
     * The shared heap over UDP: the node joins the origin's heap, its threads share memory with the origin's, memory it
     * allocates is read at the origin, and when the origin leaves the node drops its member (the member's conductor
     * thread, {@code virgo-dsm-1}, ends) and keeps serving.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldShareTheHeapWithAStandaloneNodeAndDropItWhenTheOriginLeaves(final Jdk jdk)
    {
        final int port = Virgo.freeUdpPort();
        final JvmProcess node = Virgo.node(jdk, port);
        try
        {
            final String output = assertSharesHeap(jdk, port);
            assertTrue(output.contains("allocated in pid " + node.pid()), "the node allocated the memory");
            JvmThreads.awaitThread(jdk, node.pid(), "virgo-dsm-1", false, LOG_TIMEOUT);
            assertTrue(node.isAlive(), "the node keeps serving");
            final JvmProcess next = Virgo.origin(jdk, sumArgs(port), ParallelSumApp.class, "afterHeap");
            assertTrue(Virgo.assertSucceeded(next).contains("CHECK afterHeap-sum ok"), "a later origin is served");
        }
        finally
        {
            stopNode(node);
        }
    }

    /**
     * Shared-heap control messages (HEAP) that are malformed, from an origin that did say HELLO: an unknown kind, a
     * truncated join request, and a join request naming an impossible member are dropped with a warning that says why,
     * and the node then shares a heap with a real origin.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldDropMalformedHeapControlAndKeepServing(final Jdk jdk)
    {
        final int port = Virgo.freeUdpPort();
        final JvmProcess node = Virgo.node(jdk, port);
        try (RawAeronSender sender = RawAeronSender.connect(port, 1, READY))
        {
            final Duration sendTimeout = Duration.ofSeconds(10);
            final long originId = 0x5EED_0000_0000_0002L;
            final byte[] channel = ("aeron:udp?endpoint=127.0.0.1:" + Virgo.freeUdpPort()).getBytes(StandardCharsets.UTF_8);
            final byte[] originName = "raw-origin".getBytes(StandardCharsets.UTF_8);
            final ByteBuffer hello = RawAeronSender.wholeFrame(24 + 72 + 4 + channel.length + 4 + originName.length);
            RawAeronSender.putHeader(hello, 1, originId, 0).putLong(4242).putInt(10)
                .putInt(0).putLong(0).put(new byte[16]).put(new byte[32]) // no secret: no session id, nonce, proof
                .putInt(channel.length).put(channel).putInt(originName.length).put(originName);
            sender.send(hello.array(), sendTimeout);

            sender.send(heap(originId, new byte[] {9}), sendTimeout);
            node.awaitOutput("unknown kind 9", LOG_TIMEOUT);
            sender.send(heap(originId, new byte[] {1, 0, 0}), sendTimeout);
            node.awaitOutput("heap control: 3 bytes, but 5 needed", LOG_TIMEOUT);
            final ByteBuffer badJoin = ByteBuffer.allocate(21).order(ByteOrder.LITTLE_ENDIAN);
            badJoin.put((byte)1).putInt(-3).putInt(4096).putLong(5000).putInt(16);
            sender.send(heap(originId, badJoin.array()), sendTimeout);
            node.awaitOutput("refused a join request: bad join request: member -3", LOG_TIMEOUT);
            assertEquals(2, count(node.output(), "shared heap: dropped a malformed control message"),
                "one warning per malformed payload");

            assertTrue(node.isAlive(), "node still running after the malformed heap control");
            assertFalse(node.output().contains("Exception"), "no stack trace in the node's log");
            assertSharesHeap(jdk, port);
        }
        finally
        {
            stopNode(node);
        }
    }

    /** Runs {@link HeapOverUdpApp} against the node on {@code port}; @return its output, every check passed. */
    private static String assertSharesHeap(final Jdk jdk, final int port)
    {
        final JvmProcess origin = Virgo.origin(jdk,
            "nodes=127.0.0.1:" + port + ",offload=dev.virgo.it.apps.node.HeapOverUdpApp*,fallback=fail",
            HeapOverUdpApp.class);
        final String output = Virgo.assertSucceeded(origin);
        Virgo.assertChecks(output, "udp-getandadd-exact", "udp-lock-exact", "udp-node-memory-read");
        return output;
    }

    private static byte[] heap(final long originId, final byte[] payload)
    {
        final ByteBuffer message = RawAeronSender.wholeFrame(24 + 4 + payload.length);
        RawAeronSender.putHeader(message, 14, originId, 0).putInt(payload.length).put(payload);
        return message.array();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldRefuseToBindANonLoopbackAddress(final Jdk jdk)
    {
        final int port = Virgo.freeUdpPort();
        final JvmProcess node = JvmProcess.start("node-0.0.0.0-" + port, List.of(
            jdk.java().toString(), "-jar", Virgo.JAR.toAbsolutePath().toString(), "node", "--bind", "0.0.0.0:" + port));
        try
        {
            assertEquals(2, node.awaitExit(Duration.ofSeconds(30)), "exit code");
            final String output = node.output();
            assertTrue(output.contains("refusing to bind 0.0.0.0:" + port), "names the refused address");
            assertTrue(output.contains("loopback only"), "says it binds loopback only");
            assertFalse(output.contains("ready on"), "never said it was ready");
            assertFalse(new File("/dev/shm/virgo-node-" + node.pid()).exists(), "started no media driver");
        }
        finally
        {
            stopNode(node);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldRefuseMalformedInputAndKeepServing(final Jdk jdk)
    {
        final int port = Virgo.freeUdpPort();
        final JvmProcess node = Virgo.node(jdk, port);
        try (RawAeronSender sender = RawAeronSender.connect(port, 1, READY))
        {
            final Duration sendTimeout = Duration.ofSeconds(10);
            final long originId = 0x5EED_0000_0000_0001L;

            // (a) 3 bytes: shorter than the transport frame; dropped by the node's transport with an error.
            sender.send(new byte[] {(byte)0x9d, 0x11, 0x7f}, sendTimeout);
            node.awaitOutput("frame of 3 bytes", LOG_TIMEOUT);
            assertTrue(lineWith(node.output(), "frame of 3 bytes").contains("shorter than the frame header"),
                "(a) says why");

            // (b) a well-framed message of a type code no one defines.
            final ByteBuffer unknown = RawAeronSender.wholeFrame(24 + 16);
            RawAeronSender.putHeader(unknown, 999, originId, 7).putLong(1).putLong(2);
            sender.send(unknown.array(), sendTimeout);
            awaitRefusals(node, 1);
            assertTrue(lineWith(node.output(), REFUSED + "1:").contains("999"), "(b) names the unknown type code");

            // (c) a well-formed START from an origin that never said HELLO.
            final byte[] name = "intruder".getBytes(StandardCharsets.UTF_8);
            final byte[] snapshot = {1, 2, 3, 4};
            final ByteBuffer start = RawAeronSender.wholeFrame(24 + 5 + 4 + name.length + 4 + snapshot.length);
            RawAeronSender.putHeader(start, 3, originId, 42)
                .put((byte)0).putInt(Thread.NORM_PRIORITY)
                .putInt(name.length).put(name)
                .putInt(snapshot.length).put(snapshot);
            sender.send(start.array(), sendTimeout);
            awaitRefusals(node, 2);
            assertTrue(lineWith(node.output(), REFUSED + "2:").contains("HELLO"), "(c) says no HELLO came first");

            // (d) a HELLO whose first variable field (replyChannel) claims 2,000,000,000 bytes in a 100-byte message.
            final ByteBuffer hello = RawAeronSender.wholeFrame(24 + 72 + 4);
            RawAeronSender.putHeader(hello, 1, originId, 0).putLong(12345).putInt(10)
                .putInt(0).putLong(0).put(new byte[16]).put(new byte[32]).putInt(2_000_000_000);
            sender.send(hello.array(), sendTimeout);
            awaitRefusals(node, 3);
            assertTrue(lineWith(node.output(), REFUSED + "3:").contains("2000000000"), "(d) names the bad length");

            // (e) a CHUNK frame announcing a message of 2 GiB - 1: refused before any reassembly buffer is sized.
            final ByteBuffer chunk = ByteBuffer.allocate(24 + 8).order(ByteOrder.LITTLE_ENDIAN);
            chunk.putInt(2).putInt(0).putLong(0xABCDL).putInt(Integer.MAX_VALUE).putInt(0).putLong(99);
            sender.send(chunk.array(), sendTimeout);
            node.awaitOutput("exceeds maxMessageBytes", LOG_TIMEOUT);
            assertTrue(lineWith(node.output(), "exceeds maxMessageBytes").contains(String.valueOf(Integer.MAX_VALUE)),
                "(e) names the announced length");

            assertTrue(node.isAlive(), "node still running after the malformed input");
            assertFalse(node.output().contains("Exception"), "no stack trace in the node's log");
            final int refusalsBefore = count(node.output(), REFUSED);

            final JvmProcess origin = Virgo.origin(jdk, sumArgs(port), ParallelSumApp.class, "afterGarbage");
            final String output = Virgo.assertSucceeded(origin);
            assertTrue(output.contains("CHECK afterGarbage-sum ok"), "the origin's sum");
            assertRanInNode(output, "afterGarbage", node);
            assertTrue(node.isAlive(), "node still running after the origin");
            assertEquals(refusalsBefore, count(node.output(), REFUSED), "a real origin's messages are not refused");
            Virgo.assertNothingLeftOf(origin.pid(), Duration.ofSeconds(20));
        }
        finally
        {
            stopNode(node);
        }
    }

    /*
     * Found while writing the tests above. A HELLO is well formed, so the node opens a session and answers WELCOME
     * on the reply channel the HELLO names, from its single conductor thread, waiting up to 5 s for that publication
     * to connect (OriginSession.SEND_TIMEOUT_NS). When nobody listens there (an origin that died right after its
     * HELLO, a return path that is blocked, or a bogus HELLO) the conductor reads nothing for those 5 s: every
     * other origin's messages wait, and the node sends none of its heartbeats, which is as long as an origin's
     * default nodeTimeoutMs. Seen on both JDKs: the message sent right after the HELLO is refused about 5 s late;
     * the origin whose thread runs on the node says "lost ...: no heartbeat for 5000 ms" and its thread's
     * uncaught-exception handler gets a NodeLostException, while the thread goes on ticking on the node. In one
     * run the node also dropped that healthy origin ("silent for 5143 ms; stopping its threads": its last heartbeat
     * was read before the stall) and then refused each of its heartbeats as "from an origin that has not said HELLO".
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldKeepServingWhileAHelloNamesAReplyChannelNobodyListensOn(final Jdk jdk)
    {
        final int port = Virgo.freeUdpPort();
        final int deadPort = Virgo.freeUdpPort();
        final JvmProcess node = Virgo.node(jdk, port);
        try
        {
            final JvmProcess origin = Virgo.origin(jdk,
                "nodes=127.0.0.1:" + port + ",offload=dev.virgo.it.apps.node.TickerApp*", TickerApp.class, "8000");
            origin.awaitOutput("tick 1", READY);
            final long refusedAfterMs;
            try (RawAeronSender sender = RawAeronSender.connect(port, 1, READY))
            {
                final Duration sendTimeout = Duration.ofSeconds(10);
                final byte[] replyChannel =
                    ("aeron:udp?endpoint=127.0.0.1:" + deadPort).getBytes(StandardCharsets.UTF_8);
                final byte[] originName = "nobody-listens".getBytes(StandardCharsets.UTF_8);
                final ByteBuffer hello =
                    RawAeronSender.wholeFrame(24 + 72 + 4 + replyChannel.length + 4 + originName.length);
                RawAeronSender.putHeader(hello, 1, 0x5EED_0000_0000_0002L, 0)
                    .putLong(1).putInt(10)
                    .putInt(0).putLong(0).put(new byte[16]).put(new byte[32])
                    .putInt(replyChannel.length).put(replyChannel)
                    .putInt(originName.length).put(originName);
                sender.send(hello.array(), sendTimeout);

                final ByteBuffer unknown = RawAeronSender.wholeFrame(24);
                RawAeronSender.putHeader(unknown, 999, 0x5EED_0000_0000_0002L, 0);
                final long sentNs = System.nanoTime();
                sender.send(unknown.array(), sendTimeout);
                node.awaitOutput("unknown type code 999", LOG_TIMEOUT);
                refusedAfterMs = (System.nanoTime() - sentNs) / 1_000_000;
            }
            final int exitCode = origin.awaitExit(Virgo.EXIT_TIMEOUT);
            final String output = origin.output();
            assertAll(
                () -> assertTrue(refusedAfterMs < 1000, "the node read the message sent after the HELLO " +
                    refusedAfterMs + " ms late: its conductor was blocked"),
                () -> assertTrue(output.contains("CHECK ticker-ran-its-course ok") &&
                    output.contains("CHECK ticker-not-interrupted ok") && !output.contains("FAIL"),
                    "the origin running on the node at the time was not disturbed"),
                () -> assertEquals(0, exitCode, "origin exit code"));
            assertTrue(node.isAlive(), "node still running");
        }
        finally
        {
            stopNode(node);
        }
    }

    /*
     * Found while writing the tests above: a standalone node stopped the usual way (Ctrl-C, kill, systemd: SIGINT or
     * SIGTERM) leaves its media driver's directory, about 47 MB, in /dev/shm: Launcher calls System.exit from
     * main, and nothing (no shutdown hook) closes the NodeConductor and its embedded driver
     * (dirDeleteOnShutdown only acts on close). An origin has such a hook; a node does not.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldRemoveItsAeronDirectoryWhenStopped(final Jdk jdk)
    {
        final int port = Virgo.freeUdpPort();
        final JvmProcess node = Virgo.node(jdk, port);
        final File dir = new File("/dev/shm/virgo-node-" + node.pid());
        try
        {
            assertTrue(dir.isDirectory(), "while it runs the node's driver directory is " + dir);
            assertTrue(ProcessHandle.of(node.pid()).map(ProcessHandle::destroy).orElse(false), "SIGTERM sent");
            node.awaitExit(Duration.ofSeconds(30));
            assertFalse(dir.exists(), "after SIGTERM the node left " + dir + " behind");
        }
        finally
        {
            stopNode(node);
        }
    }

    private static String sumArgs(final int port)
    {
        return "nodes=127.0.0.1:" + port + ",offload=dev.virgo.it.apps.node.ParallelSumApp*";
    }

    /** Every worker of {@link ParallelSumApp} reported (a {@code RAN-IN label pid} line) that it ran in the node. */
    private static void assertRanInNode(final String output, final String label, final JvmProcess node)
    {
        final List<Long> pids = ranIn(output, label);
        assertEquals(ParallelSumApp.WORKERS, pids.size(), label + ": one RAN-IN line per worker");
        for (final long pid : pids)
        {
            assertEquals(node.pid(), pid, label + ": a worker ran in " + pid + ", not in the node " + node.pid());
        }
    }

    /** The pids the app's workers reported in {@code RAN-IN label pid} lines. */
    private static List<Long> ranIn(final String output, final String label)
    {
        final List<Long> pids = new ArrayList<>();
        final Matcher matcher = Pattern.compile("^RAN-IN " + Pattern.quote(label) + " (\\d+)$", Pattern.MULTILINE)
            .matcher(output);
        while (matcher.find())
        {
            pids.add(Long.parseLong(matcher.group(1)));
        }
        return pids;
    }

    private static void awaitRefusals(final JvmProcess node, final int count)
    {
        node.awaitOutput(count + " refusals ('" + REFUSED + "') in its output",
            output -> count(output, REFUSED) >= count, LOG_TIMEOUT);
        assertEquals(count, count(node.output(), REFUSED), "exactly one refusal per malformed message");
    }

    private static int count(final String text, final String what)
    {
        int count = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + what.length()))
        {
            count++;
        }
        return count;
    }

    private static String lineWith(final String text, final String what)
    {
        for (final String line : text.split("\\R"))
        {
            if (line.contains(what))
            {
                return line;
            }
        }
        return "";
    }

    /**
     * A standalone node has no orderly stop but its process ending (no shutdown hook closes its media driver), so
     * after the kill its Aeron directory is removed here.
     */
    private static void stopNode(final JvmProcess node)
    {
        node.close();
        IoUtil.delete(new File("/dev/shm/virgo-node-" + node.pid()), true);
    }

    /** What an origin killed with kill -9 could not remove itself. */
    private static void deleteShmOf(final long originPid)
    {
        for (final String entry : Virgo.shmEntriesOf(originPid))
        {
            IoUtil.delete(new File("/dev/shm", entry), true);
        }
    }
}
