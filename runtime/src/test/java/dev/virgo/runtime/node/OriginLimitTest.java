package dev.virgo.runtime.node;

import dev.virgo.runtime.transport.AeronTransport;
import dev.virgo.runtime.transport.Outbox;
import dev.virgo.runtime.transport.TransportSettings;
import dev.virgo.runtime.wire.ByeEncoder;
import dev.virgo.runtime.wire.HelloEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Found by the frame fuzzer (FrameFuzzIT, a node without a secret): every HELLO with a new origin id opened a session,
 * with a publication to the channel it named, until that origin had been silent for the origin timeout, so a flood of
 * HELLOs grew sessions with the rate of the flood. A node now serves at most {@code maxOrigins} at once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OriginLimitTest
{
    private static final int STREAM = 4711;
    private static final int REPLY_STREAM = 4712;
    private static final long SEND_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(512);
    private AeronTransport transport;
    private NodeConductor node;
    private Outbox toNode;

    @BeforeEach
    void startNode()
    {
        transport = AeronTransport.launchEmbedded(new TransportSettings()
            .aeronDir("/dev/shm/virgo-origin-limit-test-" + UUID.randomUUID()));
        final NodeSettings settings = new NodeSettings();
        settings.name = "node-limit";
        settings.aeronDir = transport.aeronDir();
        settings.channel = "aeron:ipc";
        settings.streamId = STREAM;
        settings.heapChannel = "aeron:ipc";
        settings.originTimeoutMs = 60_000;
        settings.maxOrigins = 3;
        node = NodeConductor.open(settings);
        toNode = transport.openOutbox("aeron:ipc", STREAM);
    }

    @AfterEach
    void stopNode()
    {
        if (null != node)
        {
            node.close();
        }
        transport.close();
    }

    @Test
    void shouldRefuseHellosPastTheMostOriginsUntilASessionEnds()
    {
        for (long originId = 1; originId <= 10; originId++)
        {
            sendHello(originId);
        }
        pollUntil(() -> node.sessionCount() + node.refusedMessageCount() == 10, "ten HELLOs handled");
        assertEquals(3, node.sessionCount(), "sessions opened");
        assertEquals(7, node.refusedMessageCount(), "HELLOs refused");

        final ByeEncoder bye = new ByeEncoder();
        bye.wrap(buffer, 0).originId(1);
        toNode.send(buffer, 0, bye.encodedLength(), SEND_TIMEOUT_NS);
        pollUntil(() -> node.sessionCount() == 2, "origin 1's BYE handled");

        sendHello(100);
        pollUntil(() -> node.sessionCount() == 3, "a HELLO taken once a session ended");
        sendHello(101);
        pollUntil(() -> node.refusedMessageCount() == 8, "the next refused again");
        assertEquals(3, node.sessionCount());
    }

    private void sendHello(final long originId)
    {
        final HelloEncoder hello = new HelloEncoder();
        hello.wrap(buffer, 0).originId(originId).threadId(0)
            .originPid(originId)
            .replyStreamId(REPLY_STREAM)
            .sessionId(0)
            .timestampMs(System.currentTimeMillis())
            .nonce(new byte[HelloEncoder.NONCE_LENGTH])
            .proof(new byte[HelloEncoder.PROOF_LENGTH])
            .replyChannel("aeron:ipc")
            .originName("origin-" + originId);
        toNode.send(buffer, 0, hello.encodedLength(), SEND_TIMEOUT_NS);
    }

    /** Runs the node's duty cycle on this thread until the condition holds. */
    private void pollUntil(final BooleanSupplier condition, final String what)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("not within 20 s: " + what + " (sessions " + node.sessionCount() + ", refused " +
                    node.refusedMessageCount() + ")");
            }
            if (0 == node.doWork())
            {
                Thread.onSpinWait();
            }
        }
    }
}
