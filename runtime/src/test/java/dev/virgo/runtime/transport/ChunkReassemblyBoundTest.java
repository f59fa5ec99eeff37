package dev.virgo.runtime.transport;

import io.aeron.Publication;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static dev.virgo.runtime.transport.TransportFrame.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seen while fuzzing (FrameFuzzIT's dishonest chunks): a plain chunk frame of a few bytes that declares a large total
 * made the Inbox allocate a 1 MiB reassembly buffer at once, before anyone is authenticated, for each of up to
 * {@link Inbox#MAX_PENDING_TRANSFERS} transfers: 64 MiB held, and a megabyte of garbage for every 40-byte frame that
 * evicts one. What a transfer holds is now proportional to what its sender sent.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChunkReassemblyBoundTest
{
    private static final int STREAM_ID = 9;
    private static final int DECLARED = 64 * 1024 * 1024;

    private final File dir = new File("/dev/shm", "virgo-test-" + UUID.randomUUID());
    private final List<byte[]> received = new ArrayList<>();
    private AeronTransport transport;

    @AfterEach
    void tearDown()
    {
        CloseHelper.quietClose(transport);
        IoUtil.delete(dir, true);
    }

    @Test
    void shouldHoldNoMoreForAPendingTransferThanItsSenderSent()
    {
        transport = AeronTransport.launchEmbedded(new TransportSettings()
            .aeronDir(dir.getAbsolutePath())
            .maxMessageBytes(DECLARED)
            .errorHandler(ex -> { }));
        final Inbox inbox = transport.openInbox("aeron:ipc", STREAM_ID);
        final Publication raw = transport.aeron().addPublication("aeron:ipc", STREAM_ID);
        for (int i = 0; i < Inbox.MAX_PENDING_TRANSFERS; i++)
        {
            offer(raw, chunk(1000 + i, DECLARED, 0, new byte[16]));
        }
        pollUntil(inbox, () -> inbox.pendingTransferCount() == Inbox.MAX_PENDING_TRANSFERS);

        final long held = inbox.pendingTransferBytes();
        assertTrue(held <= Inbox.MAX_PENDING_TRANSFERS * 4096L,
            Inbox.MAX_PENDING_TRANSFERS + " transfers of 16 bytes each, declaring " + DECLARED + " bytes, hold " +
            held + " bytes");
    }

    @Test
    void shouldStillReassembleAnHonestTransferGrowingItsBuffer()
    {
        transport = AeronTransport.launchEmbedded(new TransportSettings()
            .aeronDir(dir.getAbsolutePath())
            .errorHandler(ex -> { }));
        final Inbox inbox = transport.openInbox("aeron:ipc", STREAM_ID);
        final Publication raw = transport.aeron().addPublication("aeron:ipc", STREAM_ID);
        final byte[] message = new byte[300_000];
        new Random(7).nextBytes(message);
        final int chunkLength = 10_000; // the first buffer is 20,000 bytes: it must grow to the whole
        for (int offset = 0; offset < message.length; offset += chunkLength)
        {
            final byte[] body = new byte[Math.min(chunkLength, message.length - offset)];
            System.arraycopy(message, offset, body, 0, body.length);
            offer(raw, chunk(77, message.length, offset, body));
        }
        pollUntil(inbox, () -> received.size() == 1);
        assertArrayEquals(message, received.get(0));
        assertEquals(0, inbox.pendingTransferCount());
    }

    private void pollUntil(final Inbox inbox, final java.util.function.BooleanSupplier condition)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadlineNs, "pending " + inbox.pendingTransferCount());
            inbox.poll((buffer, offset, length) ->
            {
                final byte[] copy = new byte[length];
                buffer.getBytes(offset, copy);
                received.add(copy);
            }, 16);
        }
    }

    private static byte[] chunk(final long transferId, final int total, final int chunkOffset, final byte[] body)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[CHUNK_HEADER_LENGTH + body.length]);
        frame.putInt(FRAME_TYPE_OFFSET, FRAME_TYPE_CHUNK, BYTE_ORDER);
        frame.putInt(SESSION_ID_OFFSET, 0, BYTE_ORDER);
        frame.putLong(TRANSFER_ID_OFFSET, transferId, BYTE_ORDER);
        frame.putInt(TOTAL_LENGTH_OFFSET, total, BYTE_ORDER);
        frame.putInt(CHUNK_OFFSET_OFFSET, chunkOffset, BYTE_ORDER);
        frame.putBytes(CHUNK_HEADER_LENGTH, body);
        return frame.byteArray();
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
}
