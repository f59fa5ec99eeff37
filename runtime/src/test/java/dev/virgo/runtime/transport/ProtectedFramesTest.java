package dev.virgo.runtime.transport;

import dev.virgo.runtime.security.FrameProtection;
import dev.virgo.runtime.security.FrameSealer;
import dev.virgo.runtime.security.FrameOpener;
import io.aeron.Publication;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Frames sealed by an Outbox and opened by an Inbox over a real embedded driver (IPC). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProtectedFramesTest
{
    private static final long SEND_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);
    private static final int SESSION_ID = 0x5eed;
    private static final int STREAM_ID = 7;

    private final List<byte[]> received = new ArrayList<>();
    private final List<Integer> receivedSessions = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();
    private final File dir = new File("/dev/shm", "virgo-test-" + UUID.randomUUID());
    private AeronTransport transport;
    private Inbox inbox;

    @AfterEach
    void tearDown()
    {
        CloseHelper.quietClose(transport);
        IoUtil.delete(dir, true);
    }

    @ParameterizedTest(name = "encrypt={0}")
    @ValueSource(booleans = {true, false})
    void shouldDeliverSealedWholeAndChunkedMessagesUnderTheirSession(final boolean encrypt) throws Exception
    {
        final Outbox outbox = open(encrypt);
        final UnsafeBuffer small = message(100, 1);
        final UnsafeBuffer large = message(3 * 1024 * 1024 + 17, 2);
        // Larger than the term: sent from another thread while this one polls.
        final Thread sender = new Thread(() ->
        {
            outbox.send(small, 0, small.capacity(), SEND_TIMEOUT_NS);
            outbox.send(large, 0, large.capacity(), SEND_TIMEOUT_NS);
            outbox.protect(null);
            outbox.send(small, 0, small.capacity(), SEND_TIMEOUT_NS);
        });
        sender.start();

        pollUntil(3);
        sender.join();
        assertArrayEquals(small.byteArray(), received.get(0));
        assertArrayEquals(large.byteArray(), received.get(1));
        assertArrayEquals(small.byteArray(), received.get(2));
        assertEquals(List.of(SESSION_ID, SESSION_ID, 0), receivedSessions, "plain frames are session 0");
        assertEquals(0, inbox.refusedFrameCount());
    }

    @ParameterizedTest(name = "encrypt={0}")
    @ValueSource(booleans = {true, false})
    void shouldRefuseAReplayedFrameAndAnUnknownSession(final boolean encrypt)
    {
        final Outbox outbox = open(encrypt);
        final UnsafeBuffer small = message(100, 1);
        outbox.send(small, 0, small.capacity(), SEND_TIMEOUT_NS);
        outbox.send(small, 0, small.capacity(), SEND_TIMEOUT_NS);
        pollUntil(2);

        // The bytes of the first frame as they went on the wire, sent again by another publisher.
        final Publication raw = transport.aeron().addPublication("aeron:ipc", STREAM_ID);
        final byte[] replayed = sealedFrame(new FrameSealer(key(), SESSION_ID, encrypt), small);
        offer(raw, replayed);
        final byte[] unknown = sealedFrame(new FrameSealer(key(), SESSION_ID + 1, encrypt), small);
        offer(raw, unknown);
        final byte[] forged = sealedFrame(new FrameSealer(key(), SESSION_ID, encrypt), small);
        forged[8 + 3] ^= 1;
        forged[forged.length - 1] = 9; // a fresh sequence number, but the tag no longer fits
        offer(raw, forged);

        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (inbox.refusedFrameCount() < 3 && System.nanoTime() < deadlineNs)
        {
            inbox.poll(this::onMessage, 16);
        }
        assertEquals(3, inbox.refusedFrameCount(), errors.toString());
        assertEquals(2, received.size(), "nothing delivered from the refused frames");
        assertTrue(errors.get(0).getMessage().contains("REPLAYED"), errors.get(0).getMessage());
        assertTrue(errors.get(1).getMessage().contains("does not know"), errors.get(1).getMessage());
        assertTrue(errors.get(2).getMessage().contains("BAD_TAG"), errors.get(2).getMessage());
        raw.close();
    }

    private Outbox open(final boolean encrypt)
    {
        transport = AeronTransport.launchEmbedded(new TransportSettings()
            .aeronDir(dir.getAbsolutePath())
            .ipcTermLengthBytes(1024 * 1024)
            .errorHandler(errors::add));
        inbox = transport.openInbox("aeron:ipc", STREAM_ID);
        inbox.addSession(SESSION_ID, new FrameOpener(key(), encrypt));
        final Outbox outbox = transport.openOutbox("aeron:ipc", STREAM_ID);
        outbox.protect(new FrameSealer(key(), SESSION_ID, encrypt));
        return outbox;
    }

    private void onMessage(final org.agrona.DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        received.add(copy);
        receivedSessions.add(inbox.authenticatedSessionId());
    }

    private void pollUntil(final int count)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (received.size() < count)
        {
            assertTrue(System.nanoTime() < deadlineNs, "received " + received.size() + " of " + count + ": " + errors);
            inbox.poll(this::onMessage, 16);
        }
    }

    private static byte[] sealedFrame(final FrameSealer sealer, final UnsafeBuffer message)
    {
        final int length = message.capacity();
        final byte[] frame = new byte[TransportFrame.WHOLE_HEADER_LENGTH + length + FrameProtection.TRAILER_LENGTH];
        final UnsafeBuffer view = new UnsafeBuffer(frame);
        view.putInt(TransportFrame.FRAME_TYPE_OFFSET, TransportFrame.FRAME_TYPE_WHOLE, TransportFrame.BYTE_ORDER);
        view.putInt(TransportFrame.RESERVED_OFFSET, sealer.sessionId(), TransportFrame.BYTE_ORDER);
        message.getBytes(0, frame, TransportFrame.WHOLE_HEADER_LENGTH, length);
        sealer.seal(frame, 0, TransportFrame.WHOLE_HEADER_LENGTH, length);
        return frame;
    }

    private static void offer(final Publication publication, final byte[] frame)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (publication.offer(new UnsafeBuffer(frame)) < 0)
        {
            assertTrue(System.nanoTime() < deadlineNs, "raw offer");
            Thread.onSpinWait();
        }
    }

    private static byte[] key()
    {
        final byte[] key = new byte[32];
        Arrays.fill(key, (byte)3);
        return key;
    }

    private static UnsafeBuffer message(final int length, final long seed)
    {
        final byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return new UnsafeBuffer(bytes);
    }
}
