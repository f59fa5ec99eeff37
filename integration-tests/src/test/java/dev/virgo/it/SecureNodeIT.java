package dev.virgo.it;

import dev.virgo.it.apps.node.ParallelSumApp;
import dev.virgo.it.apps.node.TickerApp;
import dev.virgo.it.harness.CapturingRelay;
import dev.virgo.it.harness.Jdk;
import dev.virgo.it.harness.JvmProcess;
import dev.virgo.it.harness.RawAeronSender;
import dev.virgo.it.harness.Virgo;
import dev.virgo.it.harness.VirgoTestLogs;
import io.aeron.Subscription;
import org.agrona.IoUtil;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
 * A standalone node started with {@code --secret-file}: only an origin that proves the same secret gets work run;
 * a wrong secret, no secret, a HELLO that names someone else's channel, and frames captured on the way and sent
 * again are refused, and the node still serves the right origin afterwards.
 */
@ExtendWith(VirgoTestLogs.class)
class SecureNodeIT
{
    private static final Duration LOG_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration READY = Duration.ofSeconds(30);

    static List<Jdk> jdks()
    {
        return Jdk.available();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldServeOnlyAnOriginThatProvesTheSecret(final Jdk jdk) throws Exception
    {
        final Path dir = Files.createTempDirectory("virgo-it-secret");
        final Path secret = secretFile(dir, "right");
        final Path wrong = secretFile(dir, "wrong");
        final int port = Virgo.freeUdpPort();
        final JvmProcess node = Virgo.node(jdk, port, "--secret-file", secret.toString());
        try
        {
            final JvmProcess wrongOrigin = Virgo.origin(jdk, sumArgs(port, wrong) + ",nodeReadyTimeoutMs=3000",
                ParallelSumApp.class, "wrong");
            final String wrongOutput = wrongOrigin.awaitExit(Virgo.EXIT_TIMEOUT) == 0 ? wrongOrigin.output() : "";
            node.awaitOutput("wrong proof", LOG_TIMEOUT);
            assertFalse(ranInNode(wrongOutput, "wrong", node), "nothing of the wrong secret's origin ran in the node");

            final JvmProcess noSecret = Virgo.origin(jdk, sumArgs(port, null) + ",nodeReadyTimeoutMs=3000",
                ParallelSumApp.class, "none");
            final String noneOutput = noSecret.awaitExit(Virgo.EXIT_TIMEOUT) == 0 ? noSecret.output() : "";
            node.awaitOutput("proves no cluster secret", LOG_TIMEOUT);
            assertFalse(ranInNode(noneOutput, "none", node), "nothing of the origin without a secret ran");
            assertTrue(node.isAlive(), "the node keeps serving");

            assertServes(jdk, port, secret, node, "right");
        }
        finally
        {
            node.close();
            IoUtil.delete(new File("/dev/shm/virgo-node-" + node.pid()), true);
            IoUtil.delete(dir.toFile(), true);
        }
    }

    /* Without a secret a node refuses a non-loopback bind (StandaloneNodeIT); with one, it starts. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldBindANonLoopbackAddressWithASecret(final Jdk jdk) throws Exception
    {
        final Path dir = Files.createTempDirectory("virgo-it-secret");
        final Path secret = secretFile(dir, "right");
        final int port = Virgo.freeUdpPort();
        final JvmProcess node = JvmProcess.start("node-0.0.0.0-" + port, List.of(jdk.java().toString(), "-jar",
            Virgo.JAR.toAbsolutePath().toString(), "node", "--bind", "0.0.0.0:" + port, "--secret-file", secret.toString()));
        try
        {
            node.awaitOutput("ready on aeron:udp?endpoint=0.0.0.0:" + port, READY);
            assertFalse(node.output().contains("refusing to bind"), "not refused");
        }
        finally
        {
            node.close();
            IoUtil.delete(new File("/dev/shm/virgo-node-" + node.pid()), true);
            IoUtil.delete(dir.toFile(), true);
        }
    }

    /*
     * A HELLO that names a channel of someone else's (here one the test listens on) with a forged proof, and one
     * with no proof: the node opens no publication there, so nothing ever connects to the listener.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldOpenNoPublicationForAnUnprovenHello(final Jdk jdk) throws Exception
    {
        final Path dir = Files.createTempDirectory("virgo-it-secret");
        final Path secret = secretFile(dir, "right");
        final int port = Virgo.freeUdpPort();
        final JvmProcess node = Virgo.node(jdk, port, "--secret-file", secret.toString());
        try (RawAeronSender attacker = RawAeronSender.connect(port, 1, READY))
        {
            final String victim = "aeron:udp?endpoint=127.0.0.1:" + Virgo.freeUdpPort();
            final Subscription listener = attacker.subscribe(victim, 10);
            final byte[] forgedProof = new byte[32];
            new SecureRandom().nextBytes(forgedProof);
            attacker.send(hello(victim, forgedProof), Duration.ofSeconds(10));
            node.awaitOutput("wrong proof", LOG_TIMEOUT);
            attacker.send(hello(victim, new byte[32]), Duration.ofSeconds(10));
            node.awaitOutput("proves no cluster secret", LOG_TIMEOUT);

            assertTrue(node.output().contains("no reply sent"), "the node says it sent nothing");
            // No sleep to wait for a negative: the node handled the forged HELLOs before the right origin's HELLO,
            // whose reply publication then connected and carried a whole moved thread; one the node had opened for
            // the forged HELLOs would have connected to the listener by then too.
            assertServes(jdk, port, secret, node, "afterForgery");
            assertEquals(0, listener.imageCount(), "the node published to the channel the HELLO named");
        }
        finally
        {
            node.close();
            IoUtil.delete(new File("/dev/shm/virgo-node-" + node.pid()), true);
            IoUtil.delete(dir.toFile(), true);
        }
    }

    /* Every protected frame an origin sent, captured on the way and sent to the node again, is refused. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shouldRefuseReplayedCapturedFrames(final Jdk jdk) throws Exception
    {
        final Path dir = Files.createTempDirectory("virgo-it-secret");
        final Path secret = secretFile(dir, "right");
        final int port = Virgo.freeUdpPort();
        final int relayPort = Virgo.freeUdpPort();
        final JvmProcess node = Virgo.node(jdk, port, "--secret-file", secret.toString());
        try (CapturingRelay relay = new CapturingRelay(relayPort, port, 1))
        {
            final JvmProcess origin = Virgo.origin(jdk, "nodes=127.0.0.1:" + relayPort + ",secretFile=" + secret +
                ",offload=dev.virgo.it.apps.node.TickerApp*", TickerApp.class, "6000");
            origin.awaitOutput("tick 1", READY);
            final List<byte[]> frames = List.copyOf(relay.captured());
            int replayed = 0;
            for (final byte[] frame : frames)
            {
                if (frame.length >= 8 && ByteBuffer.wrap(frame, 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .getInt() != 0)
                {
                    relay.replay(frame);
                    replayed++;
                }
            }
            assertTrue(replayed >= 2, "captured protected frames (START among them): " + replayed);
            final int expected = replayed;
            node.awaitOutput(expected + " replayed frames refused",
                output -> count(output, "refused: REPLAYED") >= expected, LOG_TIMEOUT);
            final String output = Virgo.assertSucceeded(origin);
            assertTrue(output.contains("CHECK ticker-ran-its-course ok"), "the real origin was not disturbed");
            assertTrue(node.isAlive(), "the node keeps serving");
            assertServes(jdk, port, secret, node, "afterReplay");
        }
        finally
        {
            node.close();
            IoUtil.delete(new File("/dev/shm/virgo-node-" + node.pid()), true);
            IoUtil.delete(dir.toFile(), true);
        }
    }

    private static void assertServes(
        final Jdk jdk, final int port, final Path secret, final JvmProcess node, final String label)
    {
        final JvmProcess origin = Virgo.origin(jdk, sumArgs(port, secret), ParallelSumApp.class, label);
        final String output = Virgo.assertSucceeded(origin);
        assertTrue(output.contains("CHECK " + label + "-sum ok"), label + ": the sum");
        assertTrue(ranInNode(output, label, node), label + ": every worker ran in the node");
    }

    private static byte[] hello(final String replyChannel, final byte[] proof)
    {
        final byte[] channel = replyChannel.getBytes(StandardCharsets.UTF_8);
        final byte[] name = "attacker".getBytes(StandardCharsets.UTF_8);
        final byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        final ByteBuffer hello = RawAeronSender.wholeFrame(24 + 72 + 4 + channel.length + 4 + name.length);
        RawAeronSender.putHeader(hello, 1, 0x5EED_0000_0000_0003L, 0).putLong(4242).putInt(10)
            .putInt(77).putLong(System.currentTimeMillis()).put(nonce).put(proof)
            .putInt(channel.length).put(channel).putInt(name.length).put(name);
        return hello.array();
    }

    private static String sumArgs(final int port, final Path secret)
    {
        return "nodes=127.0.0.1:" + port + ",offload=dev.virgo.it.apps.node.ParallelSumApp*" +
            (null == secret ? "" : ",secretFile=" + secret);
    }

    private static boolean ranInNode(final String output, final String label, final JvmProcess node)
    {
        final Matcher matcher = Pattern.compile("^RAN-IN " + Pattern.quote(label) + " (\\d+)$", Pattern.MULTILINE)
            .matcher(output);
        int inNode = 0;
        int total = 0;
        while (matcher.find())
        {
            total++;
            if (Long.parseLong(matcher.group(1)) == node.pid())
            {
                inNode++;
            }
        }
        return total == ParallelSumApp.WORKERS && inNode == total;
    }

    private static int count(final String text, final String what)
    {
        int count = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1))
        {
            count++;
        }
        return count;
    }

    private static Path secretFile(final Path dir, final String name) throws Exception
    {
        final byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        final Path file = dir.resolve(name + ".key");
        Files.writeString(file, HexFormat.of().formatHex(random) + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
