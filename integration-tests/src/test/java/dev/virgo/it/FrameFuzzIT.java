package dev.virgo.it;

import dev.virgo.it.apps.fuzz.FuzzedOriginApp;
import dev.virgo.it.apps.node.ParallelSumApp;
import dev.virgo.it.fuzz.FrameFuzzer;
import dev.virgo.it.fuzz.FuzzLink;
import dev.virgo.it.fuzz.FuzzReport;
import dev.virgo.it.fuzz.FuzzTarget;
import dev.virgo.it.fuzz.HeapMemberMain;
import dev.virgo.it.fuzz.HeapMessages;
import dev.virgo.it.fuzz.NodeMessages;
import dev.virgo.it.fuzz.OriginTarget;
import dev.virgo.it.fuzz.RefusalCounts;
import dev.virgo.it.fuzz.TransportFramer;
import dev.virgo.it.harness.Jdk;
import dev.virgo.it.harness.JvmProcess;
import dev.virgo.it.harness.Virgo;
import dev.virgo.it.harness.VirgoTestLogs;
import dev.virgo.dsm.member.DsmMember;
import dev.virgo.dsm.member.HeapKeys;
import dev.virgo.dsm.member.MemberLinks;
import dev.virgo.dsm.member.PeerLink;
import dev.virgo.runtime.security.ClusterSecret;
import dev.virgo.runtime.transport.AeronTransport;
import dev.virgo.runtime.transport.TransportSettings;
import dev.virgo.runtime.security.FrameSealer;
import org.agrona.IoUtil;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10: mutated and forged frames (see {@link FrameFuzzer}) at a standalone node with and without a secret, at an
 * origin while its program runs, and at a shared-heap member; each must stay alive, answer nothing it should not, and
 * serve correct work afterwards: the node runs an origin's moved threads to the right sum, the origin's program ends
 * with the right result, the member answers page reads with the values written.
 * <p>
 * {@code -Dfuzz.frames} frames per target (20,000 by default, the CI's short run; the README gives the command of the
 * long one) from {@code -Dfuzz.seed} (printed). Targets run on JDK 17 and 25 (a short run takes a few seconds per
 * target); the fuzzer runs in the test JVM.
 */
@ExtendWith(VirgoTestLogs.class)
class FrameFuzzIT
{
    private static final Duration READY = Duration.ofSeconds(30);
    private static final Duration SETTLE = Duration.ofSeconds(15);
    /** The stream an origin's inbox receives on ({@code OriginRuntime.ORIGIN_STREAM_ID}). */
    private static final int ORIGIN_STREAM_ID = 10;

    static List<Jdk> jdks()
    {
        return Jdk.available();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldServeAfterFuzzingANodeWithoutSecret(final Jdk jdk) throws Exception
    {
        fuzzNode(jdk, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldServeAfterFuzzingANodeWithASecret(final Jdk jdk) throws Exception
    {
        fuzzNode(jdk, true);
    }

    private void fuzzNode(final Jdk jdk, final boolean withSecret) throws Exception
    {
        final long seed = FuzzTarget.seed();
        final long frames = FuzzTarget.frames();
        final String name = "node" + (withSecret ? "-with-secret" : "-without-secret") + " on " + jdk;
        System.out.println("FUZZ " + name + ": seed " + seed + ", " + frames + " frames (replay: -Dfuzz.seed=" + seed +
            ")");
        final Path dir = Files.createTempDirectory("virgo-it-fuzz");
        final Path secret = withSecret ? secretFile(dir) : null;
        final int port = Virgo.freeUdpPort();
        final JvmProcess node = withSecret ? Virgo.node(jdk, port, "--secret-file", secret.toString()) :
            Virgo.node(jdk, port);
        try (FuzzLink link = FuzzLink.open("aeron:udp?endpoint=127.0.0.1:" + port, 1, READY))
        {
            final NodeMessages messages = new NodeMessages(seed | 1, withSecret ? ClusterSecret.read(secret) : null,
                seed);
            final FrameSealer sealer = messages.handshake(link, READY);
            final FuzzReport report = new FrameFuzzer(seed, name, link, messages,
                new TransportFramer(sealer, 0, link.maxFrameLength()), node::isAlive).run(frames);
            System.out.println(report);

            assertTrue(node.isAlive(), "the node survived the barrage");
            assertServes(jdk, port, secret, node, "afterFuzz");
            System.out.println("FUZZ " + name + " " + RefusalCounts.settleAndReport(node, SETTLE));
            assertNoEscapedErrors(node);
        }
        finally
        {
            node.close();
            IoUtil.delete(new File("/dev/shm/virgo-node-" + node.pid()), true);
            IoUtil.delete(dir.toFile(), true);
        }
    }

    /*
     * The origin's program runs rounds of moved workers on a node with the secret while the fuzzer, who has the
     * origin's id and port but not a node's session keys, sends its inbox frames; every round must be right, and the
     * program must end when told with the right result.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldFinishTheProgramRightAfterFuzzingAnOrigin(final Jdk jdk) throws Exception
    {
        final long seed = FuzzTarget.seed();
        final long frames = FuzzTarget.frames();
        System.out.println("FUZZ origin on " + jdk + ": seed " + seed + ", " + frames + " frames (replay: -Dfuzz.seed=" + seed + ")");
        final Path dir = Files.createTempDirectory("virgo-it-fuzz");
        final Path secret = secretFile(dir);
        final Path stop = dir.resolve("stop");
        final int port = Virgo.freeUdpPort();
        final JvmProcess node = Virgo.node(jdk, port, "--secret-file", secret.toString());
        try
        {
            final JvmProcess origin = Virgo.origin(jdk, "nodes=127.0.0.1:" + port + ",secretFile=" + secret +
                ",offload=dev.virgo.it.apps.fuzz.FuzzedOriginApp*", FuzzedOriginApp.class, stop.toString());
            origin.awaitOutput("ROUND 1 ok", READY);
            final OriginTarget target = OriginTarget.find(origin.pid(), READY);
            final long roundsBefore = rounds(origin);
            try (FuzzLink link = FuzzLink.open(target.channel(), ORIGIN_STREAM_ID, READY))
            {
                // Session id 1 is the real node's at the origin: forged frames claim it half the time.
                final FuzzReport report = new FrameFuzzer(seed, "origin on " + jdk, link, target,
                    new TransportFramer(null, 1, link.maxFrameLength()), origin::isAlive).run(frames);
                System.out.println(report);
            }
            final long roundsDuringFuzz = rounds(origin) - roundsBefore;
            final String refusals = RefusalCounts.settleAndReport(origin, SETTLE);
            Files.createFile(stop);
            final String output = Virgo.assertSucceeded(origin);
            Virgo.assertChecks(output, "fuzzed-rounds-right", "fuzzed-rounds-moved", "fuzzed-stopped-by-test");
            assertFalse(output.contains(" WRONG "), "a round's sum was wrong");
            assertTrue(output.contains("PIDS " + node.pid() + System.lineSeparator()), "every worker ran in the node");
            System.out.println("FUZZ origin on " + jdk + ": " + roundsDuringFuzz + " rounds of moved workers ended while fuzzed, " +
                rounds(origin) + " in all, every one right");
            System.out.println("FUZZ origin on " + jdk + " " + refusals);
            assertNoEscapedErrors(origin);
            assertNoEscapedErrors(node);
        }
        finally
        {
            node.close();
            IoUtil.delete(new File("/dev/shm/virgo-node-" + node.pid()), true);
            IoUtil.delete(dir.toFile(), true);
        }
    }

    /*
     * A heap member in a JVM of its own, linked to the fuzzer (member 0: real keys, so what it seals reaches the
     * coherence protocol) and to an honest checker in this JVM (member 2). After the barrage the checker reads every
     * page of the member's check region over the network and must get the values the member wrote.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldAnswerPageReadsRightAfterFuzzingAHeapMember(final Jdk jdk) throws Exception
    {
        final long seed = FuzzTarget.seed();
        final long frames = FuzzTarget.frames();
        System.out.println("FUZZ heap-member on " + jdk + ": seed " + seed + ", " + frames + " frames (replay: -Dfuzz.seed=" + seed +
            ")");
        final Path dir = Files.createTempDirectory("virgo-it-fuzz");
        final Path peers = dir.resolve("peers");
        final Path stop = dir.resolve("stop");
        final JvmProcess member = JvmProcess.start("heap-member", List.of(jdk.java().toString(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
            HeapMemberMain.class.getName(), peers.toString(), stop.toString()));
        final Matcher inbox = Pattern.compile("^INBOX (\\S+)$", Pattern.MULTILINE)
            .matcher(member.awaitOutput("INBOX", READY));
        assertTrue(inbox.find(), "the member's inbox");
        final String memberChannel = inbox.group(1);
        final HeapKeys keys = HeapKeys.generate(List.of(0, HeapMemberMain.SELF, 2));
        try (AeronTransport transport = AeronTransport.launchEmbedded(new TransportSettings()
                .aeronDir("/dev/shm/virgo-fuzz-checker-" + ProcessHandle.current().pid() + "-" + System.nanoTime()));
            MemberLinks checkerLinks = new MemberLinks(2, transport, "aeron:udp?endpoint=127.0.0.1:0", 1000);
            FuzzLink link = FuzzLink.open(memberChannel, HeapMemberMain.STREAM, READY))
        {
            final Path written = dir.resolve("peers.tmp");
            Files.writeString(written,
                peerLine(0, link.replyChannel(), FuzzTarget.REPLY_STREAM_ID, keys, HeapMemberMain.SELF) +
                peerLine(2, checkerLinks.inboxChannel(), 1000, keys, HeapMemberMain.SELF));
            Files.move(written, peers);
            checkerLinks.connect(List.of(new PeerLink(HeapMemberMain.SELF, memberChannel, HeapMemberMain.STREAM,
                keys.key(2, HeapMemberMain.SELF), keys.key(HeapMemberMain.SELF, 2), true, true)));
            final Matcher alloc = Pattern.compile("^ALLOC (\\p{XDigit}+) (\\p{XDigit}+)$", Pattern.MULTILINE)
                .matcher(member.awaitOutput("ALLOC", READY));
            assertTrue(alloc.find(), "the member's regions");
            final long fuzzRegion = Long.parseUnsignedLong(alloc.group(1), 16);
            final long checkRegion = Long.parseUnsignedLong(alloc.group(2), 16);

            try (DsmMember checker = new DsmMember(checkerLinks, HeapMemberMain.PAGE_BYTES, 5_000, "backoff"))
            {
                final HeapMessages messages = new HeapMessages(HeapMemberMain.PAGE_BYTES, fuzzRegion,
                    HeapMemberMain.FUZZ_PAGES, checkRegion, HeapMemberMain.CHECK_PAGES);
                final FrameSealer sealer = new FrameSealer(keys.key(0, HeapMemberMain.SELF), MemberLinks.sessionIdOf(0),
                    true);
                // Session id of member 2 (the checker) is the one forged frames claim when not the fuzzer's own.
                final FuzzReport report = new FrameFuzzer(seed, "heap-member on " + jdk, link, messages,
                    new TransportFramer(sealer, MemberLinks.sessionIdOf(2), link.maxFrameLength()), member::isAlive)
                    .run(frames);
                System.out.println(report);

                assertTrue(member.isAlive(), "the member survived the barrage");
                for (int i = 0; i < HeapMemberMain.CHECK_PAGES; i++)
                {
                    assertEquals(HeapMemberMain.checkValue(i),
                        checker.getLong(checkRegion + (long)i * HeapMemberMain.PAGE_BYTES),
                        "page " + i + " of the check region, read from the member over the network");
                }
                assertEquals(HeapMemberMain.CHECK_PAGES, checker.requestsSent(), "each page was a read miss");
            }
            Files.createFile(stop);
            final String output = Virgo.assertSucceeded(member);
            Virgo.assertChecks(output, "member-kept-its-pages");
            output.lines().filter(line -> line.startsWith("DROPS")).forEach(line ->
                System.out.println("FUZZ heap-member on " + jdk + " refused: " + line));
            System.out.println("FUZZ heap-member on " + jdk + " " + RefusalCounts.settleAndReport(member, Duration.ZERO));
            assertNoEscapedErrors(member);
        }
        finally
        {
            member.close();
            IoUtil.delete(new File("/dev/shm/virgo-fuzz-member-" + member.pid()), true);
            IoUtil.delete(dir.toFile(), true);
        }
    }

    private static String peerLine(final int peer, final String channel, final int stream, final HeapKeys keys,
        final int self)
    {
        return peer + " " + channel + " " + stream + " " + HexFormat.of().formatHex(keys.key(self, peer)) + " " +
            HexFormat.of().formatHex(keys.key(peer, self)) + System.lineSeparator();
    }

    /** @return the last round the origin reported, at most {@code FuzzedOriginApp.REPORT_EVERY} behind. */
    private static long rounds(final JvmProcess origin)
    {
        final Matcher round = Pattern.compile("^ROUND (\\d+) ok$", Pattern.MULTILINE).matcher(origin.output());
        long last = 0;
        while (round.find())
        {
            last = Long.parseLong(round.group(1));
        }
        return last;
    }

    /** A real origin offloads to the node and gets the right sum, every worker having run in the node. */
    static void assertServes(
        final Jdk jdk, final int port, final Path secret, final JvmProcess node, final String label)
    {
        final JvmProcess origin = Virgo.origin(jdk, "nodes=127.0.0.1:" + port +
            ",offload=dev.virgo.it.apps.node.ParallelSumApp*" + (null == secret ? "" : ",secretFile=" + secret),
            ParallelSumApp.class, label);
        final String output = Virgo.assertSucceeded(origin);
        assertTrue(output.contains("CHECK " + label + "-sum ok"), label + ": the sum");
        final Matcher matcher = Pattern.compile("^RAN-IN " + label + " (\\d+)$", Pattern.MULTILINE).matcher(output);
        int inNode = 0;
        while (matcher.find())
        {
            assertEquals(node.pid(), Long.parseLong(matcher.group(1)), label + ": a worker ran elsewhere");
            inNode++;
        }
        assertEquals(ParallelSumApp.WORKERS, inNode, label + ": workers that ran in the node");
    }

    /** An exception that escaped a poller or a conductor is a bug the fuzzer found, whatever else went right. */
    static void assertNoEscapedErrors(final JvmProcess target)
    {
        final String log = target.output();
        for (final String marker : List.of("node conductor: ", "origin conductor: ", "OutOfMemoryError",
            "Exception in thread", "shared heap member 1: "))
        {
            assertFalse(log.contains(marker), target.name() + " logged '" + marker + "': an error escaped");
        }
    }

    static Path secretFile(final Path dir) throws Exception
    {
        final byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        final Path file = dir.resolve("cluster.key");
        Files.writeString(file, HexFormat.of().formatHex(random) + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
