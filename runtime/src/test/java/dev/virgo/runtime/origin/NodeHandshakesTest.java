package dev.virgo.runtime.origin;

import dev.virgo.runtime.security.ClusterSecret;
import dev.virgo.runtime.security.FrameOpener;
import dev.virgo.runtime.security.FrameSealer;
import dev.virgo.runtime.security.Handshake;
import dev.virgo.runtime.transport.AeronTransport;
import dev.virgo.runtime.transport.Inbox;
import dev.virgo.runtime.transport.Outbox;
import dev.virgo.runtime.transport.TransportSettings;
import dev.virgo.runtime.wire.MessageType;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which node may say what about which thread: a node that holds the secret still speaks only for itself and for the
 * threads it runs. Frames are sealed and opened for real, over an embedded Aeron driver.
 */
class NodeHandshakesTest
{
    private static final long SEND_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long AWAIT_NS = TimeUnit.SECONDS.toNanos(20);
    private static final int STREAM = 1201;
    private static final long THREAD_ON_FIRST = 7;
    private static final long THREAD_ON_NO_NODE = 8;

    private final File aeronDir = new File(new File("/dev/shm").isDirectory() ? "/dev/shm" : IoUtil.tmpDirName(),
        "virgo-test-" + UUID.randomUUID());
    private final AeronTransport transport = AeronTransport.launchEmbedded(new TransportSettings()
        .aeronDir(aeronDir.getAbsolutePath()).driverTimeoutMs(5_000).ipcTermLengthBytes(1024 * 1024));

    @AfterEach
    void close()
    {
        transport.close();
        IoUtil.delete(aeronDir, true);
    }

    @Test
    void shouldTakeThreadMessagesOnlyFromTheNodeRunningTheThread(@TempDir final Path dir)
    {
        final Inbox inbox = transport.openInbox("aeron:ipc", STREAM);
        final List<NodeConnection> nodes = List.of(readyNode("first"), readyNode("second"));
        final NodeHandshakes handshakes = new NodeHandshakes(
            new Handshake(ClusterSecret.createEphemeral(dir)), null, inbox, nodes,
            threadId -> THREAD_ON_FIRST == threadId ? nodes.get(0) : null);
        final Outbox first = sealedOutbox(inbox, 1);
        final Outbox second = sealedOutbox(inbox, 2);

        final Map<String, Boolean> expected = new LinkedHashMap<>();
        send(first, MessageType.FINISHED, THREAD_ON_FIRST);
        expected.put("FINISHED of its own thread from the node running it", true);
        send(second, MessageType.FINISHED, THREAD_ON_FIRST);
        expected.put("FINISHED of another node's thread", false);
        for (final MessageType type : List.of(
            MessageType.SYNC, MessageType.OUTPUT, MessageType.UNCAUGHT, MessageType.EXIT, MessageType.STATE_REPLY))
        {
            send(second, type, THREAD_ON_FIRST);
            expected.put(type + " for another node's thread", false);
            send(first, type, THREAD_ON_FIRST);
            expected.put(type + " for its own thread", true);
        }
        send(second, MessageType.FINISHED, THREAD_ON_NO_NODE);
        expected.put("FINISHED of a thread on no node: its handler ignores it", true);
        send(second, MessageType.HEARTBEAT, 0);
        expected.put("HEARTBEAT naming the first node from the second", false);
        send(second, MessageType.HEARTBEAT, 1);
        expected.put("HEARTBEAT naming itself", true);

        final List<Boolean> decided = new ArrayList<>();
        final long deadline = System.nanoTime() + AWAIT_NS;
        while (decided.size() < expected.size() && System.nanoTime() < deadline)
        {
            inbox.poll((buffer, offset, length) -> decided.add(handshakes.isAuthenticated(
                MessageType.values()[buffer.getInt(offset)], buffer.getLong(offset + 4))), 16);
        }
        assertEquals(expected.size(), decided.size(), "every frame opened and decided in time");
        final List<String> wrong = new ArrayList<>();
        int i = 0;
        for (final Map.Entry<String, Boolean> entry : expected.entrySet())
        {
            if (decided.get(i++) != entry.getValue())
            {
                wrong.add(entry.getKey() + " should be " + (entry.getValue() ? "taken" : "refused"));
            }
        }
        assertTrue(wrong.isEmpty(), String.join("; ", wrong));
    }

    private static NodeConnection readyNode(final String name)
    {
        final NodeConnection node = new NodeConnection(name, null, null);
        node.onWelcome(name, 1, 2, "localhost", System.nanoTime());
        return node;
    }

    /** A node's publication to the origin, keyed as its session {@code sessionId} on the origin's inbox. */
    private Outbox sealedOutbox(final Inbox inbox, final int sessionId)
    {
        final byte[] key = new byte[Handshake.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        inbox.addSession(sessionId, new FrameOpener(key, false));
        final Outbox outbox = transport.openOutbox(inbox.resolvedChannel(), inbox.streamId());
        outbox.protect(new FrameSealer(key, sessionId, false));
        return outbox;
    }

    private static void send(final Outbox outbox, final MessageType type, final long threadId)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[12]);
        message.putInt(0, type.ordinal());
        message.putLong(4, threadId);
        outbox.send(message, 0, message.capacity(), SEND_TIMEOUT_NS);
    }
}
