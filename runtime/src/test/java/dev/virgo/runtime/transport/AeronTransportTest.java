package dev.virgo.runtime.transport;

import dev.virgo.api.VirgoException;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.*;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AeronTransportTest
{
    private static final long SEND_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long AWAIT_MS = 20_000;
    private static final int ONE_MIB = 1024 * 1024;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<File> dirs = new ArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown()
    {
        // Reverse order: pollers stop before the transports they poll, clients before the driver they use.
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            CloseHelper.quietClose(closeables.get(i));
        }
        for (final File dir : dirs)
        {
            IoUtil.delete(dir, true);
            assertFalse(dir.exists(), dir + " left behind");
        }
    }

    private TransportSettings settings()
    {
        final File base = new File("/dev/shm").isDirectory() ? new File("/dev/shm") : new File(IoUtil.tmpDirName());
        final File dir = new File(base, "virgo-test-" + UUID.randomUUID());
        dirs.add(dir);
        return new TransportSettings()
            .aeronDir(dir.getAbsolutePath())
            .driverTimeoutMs(5_000)
            .ipcTermLengthBytes(ONE_MIB)
            .udpTermLengthBytes(ONE_MIB)
            .errorHandler(errors::add);
    }

    private <T extends AutoCloseable> T track(final T closeable)
    {
        closeables.add(closeable);
        return closeable;
    }

    private static UnsafeBuffer randomMessage(final int length, final long seed)
    {
        final byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return new UnsafeBuffer(bytes);
    }

    private static long crc(final byte[] bytes)
    {
        final CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    @Test
    void shouldDeleteEmbeddedDriverDirectoryOnClose()
    {
        final AeronTransport transport = AeronTransport.launchEmbedded(settings());
        final File dir = new File(transport.aeronDir());
        assertTrue(dir.isDirectory());
        assertTrue(transport.ownsDriver());

        transport.close();
        transport.close();

        assertFalse(dir.exists(), "aeron dir still exists after close: " + dir);
    }

    @Test
    void shouldRoundTripMessageOverIpc() throws Exception
    {
        final AeronTransport transport = track(AeronTransport.launchEmbedded(settings()));
        final Inbox inbox = transport.openInbox("aeron:ipc", 1001);
        assertEquals("aeron:ipc", inbox.resolvedChannel());
        final TestPoller poller = track(new TestPoller(inbox));
        final Outbox outbox = transport.openOutbox(inbox.resolvedChannel(), inbox.streamId());

        final byte[] hello = "hello, node".getBytes();
        outbox.send(new UnsafeBuffer(hello), 0, hello.length, SEND_TIMEOUT_NS);

        assertArrayEquals(hello, poller.awaitMessages(1, AWAIT_MS).get(0));
        assertTrue(outbox.isConnected());
    }

    @Test
    void shouldRoundTripMessageOverUdpLoopbackWithEphemeralPort() throws Exception
    {
        final AeronTransport transport = track(AeronTransport.launchEmbedded(settings()));
        final Inbox inbox = transport.openInbox("aeron:udp?endpoint=127.0.0.1:0", 1002);

        final String resolved = inbox.resolvedChannel();
        assertTrue(resolved.contains("127.0.0.1:"), resolved);
        assertFalse(resolved.contains("127.0.0.1:0|") || resolved.endsWith("127.0.0.1:0"), resolved);

        final TestPoller poller = track(new TestPoller(inbox));
        final Outbox outbox = transport.openOutbox(resolved, 1002);
        final byte[] ping = "ping over udp".getBytes();
        outbox.send(new UnsafeBuffer(ping), 0, ping.length, SEND_TIMEOUT_NS);

        assertArrayEquals(ping, poller.awaitMessages(1, AWAIT_MS).get(0));
    }

    @Test
    void shouldReassembleMessageLargerThanTermLength() throws Exception
    {
        final AeronTransport transport = track(AeronTransport.launchEmbedded(settings().ipcTermLengthBytes(ONE_MIB)));
        final Inbox inbox = transport.openInbox("aeron:ipc", 1003);
        final TestPoller poller = track(new TestPoller(inbox));
        final Outbox outbox = transport.openOutbox("aeron:ipc", 1003);
        assertTrue(outbox.maxUnchunkedMessageBytes() < ONE_MIB);

        final UnsafeBuffer message = randomMessage(10 * ONE_MIB, 42);
        outbox.send(message, 0, message.capacity(), SEND_TIMEOUT_NS);
        final byte[] small = {1, 2, 3};
        outbox.send(new UnsafeBuffer(small), 0, small.length, SEND_TIMEOUT_NS);

        final List<byte[]> received = poller.awaitMessages(2, AWAIT_MS);
        assertEquals(10 * ONE_MIB, received.get(0).length);
        assertEquals(crc(message.byteArray()), crc(received.get(0)));
        assertArrayEquals(small, received.get(1));
        assertEquals(0, inbox.droppedMessageCount());
    }

    @Test
    void shouldReassembleLargeMessageOverUdp() throws Exception
    {
        final AeronTransport transport = track(AeronTransport.launchEmbedded(settings()));
        final Inbox inbox = transport.openInbox("aeron:udp?endpoint=127.0.0.1:0", 1004);
        final TestPoller poller = track(new TestPoller(inbox));
        final Outbox outbox = transport.openOutbox(inbox.resolvedChannel(), 1004);

        final UnsafeBuffer message = randomMessage(3 * ONE_MIB + 17, 7);
        outbox.send(message, 0, message.capacity(), SEND_TIMEOUT_NS);

        assertEquals(crc(message.byteArray()), crc(poller.awaitMessages(1, AWAIT_MS).get(0)));
    }

    @Test
    void shouldRefuseToSendMessageAboveMaxMessageBytesNamingTheLimit()
    {
        final AeronTransport transport = track(AeronTransport.launchEmbedded(settings().maxMessageBytes(ONE_MIB)));
        final Outbox outbox = transport.openOutbox("aeron:ipc", 1005);
        final UnsafeBuffer message = randomMessage(ONE_MIB + 1, 1);

        final VirgoException ex = assertThrows(
            VirgoException.class, () -> outbox.send(message, 0, message.capacity(), SEND_TIMEOUT_NS));
        assertTrue(ex.getMessage().contains("maxMessageBytes=" + ONE_MIB), ex.getMessage());
        assertTrue(ex.getMessage().contains("stream=1005"), ex.getMessage());
    }

    @Test
    void shouldDropReceivedMessageAboveMaxMessageBytesAndKeepServing() throws Exception
    {
        final TransportSettings senderSettings = settings();
        final AeronTransport sender = track(AeronTransport.launchEmbedded(senderSettings));
        final AeronTransport receiver = track(AeronTransport.connect(new TransportSettings()
            .aeronDir(senderSettings.aeronDir())
            .driverTimeoutMs(5_000)
            .maxMessageBytes(2 * ONE_MIB)
            .errorHandler(errors::add)));

        final Inbox inbox = receiver.openInbox("aeron:ipc", 1006);
        final TestPoller poller = track(new TestPoller(inbox));
        final Outbox outbox = sender.openOutbox("aeron:ipc", 1006);

        final UnsafeBuffer tooLarge = randomMessage(3 * ONE_MIB, 3);
        outbox.send(tooLarge, 0, tooLarge.capacity(), SEND_TIMEOUT_NS);
        final byte[] after = "still serving".getBytes();
        outbox.send(new UnsafeBuffer(after), 0, after.length, SEND_TIMEOUT_NS);

        final List<byte[]> received = poller.awaitMessages(1, AWAIT_MS);
        assertArrayEquals(after, received.get(0));
        assertEquals(1, received.size());
        assertEquals(1, inbox.droppedMessageCount());
        assertEquals(1, errors.size(), errors::toString);
        final String error = errors.get(0).getMessage();
        assertTrue(error.contains("maxMessageBytes=" + 2 * ONE_MIB), error);
        assertTrue(error.contains(String.valueOf(3 * ONE_MIB)), error);
        assertEquals(0, inbox.pendingTransferCount());
    }

    @Test
    void shouldDeliverLargeMessagesFromFourConcurrentSendersIntact() throws Exception
    {
        final AeronTransport transport = track(AeronTransport.launchEmbedded(settings()));
        final Inbox inbox = transport.openInbox("aeron:ipc", 1007);
        final TestPoller poller = track(new TestPoller(inbox));
        final Outbox outbox = transport.openOutbox("aeron:ipc", 1007);

        final int senders = 4;
        final int messagesPerSender = 3;
        final Set<Long> expected = ConcurrentSetHolder.newSet();
        final CountDownLatch start = new CountDownLatch(1);
        final ExecutorService pool = Executors.newFixedThreadPool(senders);
        try
        {
            final List<Future<?>> futures = new ArrayList<>();
            for (int s = 0; s < senders; s++)
            {
                final int sender = s;
                futures.add(pool.submit(() ->
                {
                    start.await();
                    for (int m = 0; m < messagesPerSender; m++)
                    {
                        // Different lengths so that chunk boundaries of the senders differ.
                        final UnsafeBuffer message = randomMessage(2 * ONE_MIB + sender * 1000 + m, sender * 100L + m);
                        expected.add(crc(message.byteArray()));
                        outbox.send(message, 0, message.capacity(), SEND_TIMEOUT_NS);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (final Future<?> future : futures)
            {
                future.get(AWAIT_MS, TimeUnit.MILLISECONDS);
            }
        }
        finally
        {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }

        final List<byte[]> received = poller.awaitMessages(senders * messagesPerSender, AWAIT_MS);
        final Set<Long> receivedCrcs = new HashSet<>();
        for (final byte[] message : received)
        {
            receivedCrcs.add(crc(message));
        }
        assertEquals(senders * messagesPerSender, received.size());
        assertEquals(expected, receivedCrcs);
        assertEquals(0, inbox.droppedMessageCount(), errors::toString);
    }

    @Test
    void shouldConnectToDriverLaunchedByAnotherTransport() throws Exception
    {
        final TransportSettings originSettings = settings();
        final AeronTransport origin = track(AeronTransport.launchEmbedded(originSettings));
        final AeronTransport node = AeronTransport.connect(
            new TransportSettings().aeronDir(origin.aeronDir()).driverTimeoutMs(5_000).errorHandler(errors::add));
        assertFalse(node.ownsDriver());

        final Inbox originInbox = origin.openInbox("aeron:ipc", 1008);
        final TestPoller poller = track(new TestPoller(originInbox));
        final Outbox nodeOutbox = node.openOutbox("aeron:ipc", 1008);
        final byte[] welcome = "welcome from node".getBytes();
        nodeOutbox.send(new UnsafeBuffer(welcome), 0, welcome.length, SEND_TIMEOUT_NS);
        assertArrayEquals(welcome, poller.awaitMessages(1, AWAIT_MS).get(0));

        node.close();
        assertTrue(new File(origin.aeronDir()).isDirectory(), "a connected client must not delete the driver's dir");
    }

    @Test
    void shouldFailToConnectWhenNoDriverRunsInTheDirectory()
    {
        final TransportSettings settings = settings().driverTimeoutMs(500);
        final VirgoException ex = assertThrows(VirgoException.class, () -> AeronTransport.connect(settings));
        assertTrue(ex.getMessage().contains(settings.aeronDir()), ex.getMessage());
    }

    @Test
    void shouldRefuseToLaunchDriverWhereOneIsActive()
    {
        final TransportSettings settings = settings();
        track(AeronTransport.launchEmbedded(settings));
        final VirgoException ex = assertThrows(VirgoException.class, () -> AeronTransport.launchEmbedded(
            new TransportSettings().aeronDir(settings.aeronDir()).errorHandler(errors::add)));
        assertTrue(ex.getMessage().contains("already active"), ex.getMessage());
        assertTrue(new File(settings.aeronDir()).isDirectory(), "the live driver's directory must survive");
    }

    @Test
    void shouldThrowNamingChannelStreamAndReasonWhenNobodySubscribes()
    {
        final AeronTransport transport = track(AeronTransport.launchEmbedded(settings()));
        final Outbox outbox = transport.openOutbox("aeron:ipc", 1009);
        final byte[] bytes = new byte[8];

        final long startNs = System.nanoTime();
        final VirgoException ex = assertThrows(VirgoException.class,
            () -> outbox.send(new UnsafeBuffer(bytes), 0, bytes.length, TimeUnit.MILLISECONDS.toNanos(200)));
        assertTrue(System.nanoTime() - startNs >= TimeUnit.MILLISECONDS.toNanos(200));
        assertTrue(ex.getMessage().contains("channel=aeron:ipc"), ex.getMessage());
        assertTrue(ex.getMessage().contains("stream=1009"), ex.getMessage());
        assertTrue(ex.getMessage().contains("not connected"), ex.getMessage());
    }

    @Test
    void shouldRejectMalformedChannel()
    {
        final AeronTransport transport = track(AeronTransport.launchEmbedded(settings()));
        final VirgoException ex = assertThrows(VirgoException.class, () -> transport.openInbox("tcp://nope", 1));
        assertTrue(ex.getMessage().contains("tcp://nope"), ex.getMessage());
    }

    @Test
    void shouldDropFrameOfUnknownTypeAndReportIt() throws Exception
    {
        final AeronTransport transport = track(AeronTransport.launchEmbedded(settings()));
        final Inbox inbox = transport.openInbox("aeron:ipc", 1010);
        final TestPoller poller = track(new TestPoller(inbox));
        // A raw publication, bypassing the Outbox framing, stands in for a foreign or broken sender.
        final io.aeron.Publication raw = track(transport.aeron().addPublication("aeron:ipc", 1010));
        final UnsafeBuffer garbage = new UnsafeBuffer(ByteBuffer.allocate(16));
        garbage.putInt(0, 99);
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (raw.offer(garbage) < 0)
        {
            assertTrue(System.nanoTime() < deadlineNs, "raw offer timed out");
            Thread.sleep(1);
        }
        final Outbox outbox = transport.openOutbox("aeron:ipc", 1010);
        final byte[] ok = "ok".getBytes();
        outbox.send(new UnsafeBuffer(ok), 0, ok.length, SEND_TIMEOUT_NS);

        assertArrayEquals(ok, poller.awaitMessages(1, AWAIT_MS).get(0));
        assertEquals(1, inbox.droppedMessageCount());
        assertTrue(errors.get(0).getMessage().contains("unknown frame type 99"), errors::toString);
    }

    /** A concurrent set without dragging in more imports at the call site. */
    private static final class ConcurrentSetHolder
    {
        static Set<Long> newSet()
        {
            return java.util.concurrent.ConcurrentHashMap.newKeySet();
        }
    }
}
