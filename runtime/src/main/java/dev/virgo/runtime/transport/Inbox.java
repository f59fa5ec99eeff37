package dev.virgo.runtime.transport;

import dev.virgo.api.VirgoException;
import dev.virgo.runtime.security.FrameOpener;
import io.aeron.FragmentAssembler;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import static dev.virgo.runtime.transport.TransportFrame.*;

/**
 * The receiving end of a one-way channel: an Aeron subscription that hands complete messages to a
 * {@link MessageHandler}. Aeron fragments are put back together by a {@link FragmentAssembler}; Virgo chunks
 * (see {@link TransportFrame}) are reassembled here, keyed by Aeron session id and transfer id, up to
 * {@link TransportSettings#maxMessageBytes()}.
 * <p>
 * Single-threaded: one thread polls, typically a conductor's duty cycle. Malformed frames and oversized messages
 * are dropped, reported to the error handler and counted in {@link #droppedMessageCount()}; polling goes on.
 * Exceptions thrown by the message handler propagate out of {@link #poll(MessageHandler, int)}, after the message
 * has been consumed.
 */
public final class Inbox implements AutoCloseable
{
    /**
     * Bounds the memory held by transfers whose sender stopped half way (timed out, or died while its image lingers):
     * past this many the oldest partial transfer is dropped.
     */
    public static final int MAX_PENDING_TRANSFERS = 64;

    /**
     * A reassembly buffer starts at twice its first chunk (a sender chunks only messages longer than a frame, so an
     * honest first chunk is a full one), at least this much, and grows with the data actually received: what a
     * transfer holds is proportional to what its sender sent, not to the total it declares.
     */
    private static final int MIN_REASSEMBLY_BYTES = 4096;

    private final Subscription subscription;
    private final String resolvedChannel;
    private final int maxMessageBytes;
    private final ErrorHandler errorHandler;
    private final FragmentAssembler assembler;
    private final Int2ObjectHashMap<Long2ObjectHashMap<Transfer>> transfersBySession = new Int2ObjectHashMap<>();
    private final Queue<Integer> lostSessions = new ConcurrentLinkedQueue<>();
    private final AtomicLong droppedMessages = new AtomicLong();
    private final AeronTransport owner;
    private final Int2ObjectHashMap<FrameOpener> openers = new Int2ObjectHashMap<>();
    private final AtomicLong refusedFrames = new AtomicLong();
    /** Where a protected frame is checked and decrypted: never in Aeron's own term buffer. */
    private UnsafeBuffer openedFrame = new UnsafeBuffer(new byte[4096]);
    private int deliveringSessionId;
    private MessageHandler handler;
    private int pendingTransfers;
    private long transferSequence;

    Inbox(
        final Subscription subscription,
        final String resolvedChannel,
        final int maxMessageBytes,
        final ErrorHandler errorHandler,
        final AeronTransport owner)
    {
        this.subscription = subscription;
        this.resolvedChannel = resolvedChannel;
        this.maxMessageBytes = maxMessageBytes;
        this.errorHandler = errorHandler;
        this.owner = owner;
        final FragmentHandler frameHandler = this::onFrame;
        this.assembler = new FragmentAssembler(frameHandler);
    }

    /**
     * Called on the Aeron client conductor thread when a sender's image goes away; the poller frees the partial
     * transfers of that session on its next poll.
     */
    void onUnavailableImage(final Image image)
    {
        lostSessions.add(image.sessionId());
    }

    /**
     * Polls up to {@code fragmentLimit} Aeron fragments and hands every message they complete to the handler.
     *
     * @param handler       receives complete messages; the buffer is valid only during the call.
     * @param fragmentLimit most fragments to read in this call.
     * @return number of fragments read, for an idle strategy.
     */
    public int poll(final MessageHandler handler, final int fragmentLimit)
    {
        int workCount = freeLostSessions();
        this.handler = handler;
        try
        {
            workCount += subscription.poll(assembler, fragmentLimit);
        }
        finally
        {
            this.handler = null;
        }
        return workCount;
    }

    /**
     * Accepts frames protected under this session id from now on, checked by the opener (replacing any opener of
     * that id). Call from the polling thread, e.g. from a handler during {@link #poll}.
     *
     * @param sessionId the id this side gave the session, which the sender writes in every frame.
     * @param opener    of the sender's direction of the session.
     */
    public void addSession(final int sessionId, final FrameOpener opener)
    {
        if (0 == sessionId)
        {
            throw new IllegalArgumentException("sessionId 0 marks an unprotected frame");
        }
        openers.put(sessionId, opener);
    }

    /** Refuses frames of this session id from now on. Call from the polling thread. */
    public void removeSession(final int sessionId)
    {
        openers.remove(sessionId);
    }

    /**
     * @return the session id under whose keys the message being delivered was authenticated, or 0 for a message that
     * came in plain frames. Valid only inside {@link MessageHandler#onMessage}: what a conductor checks before it
     * believes who a message says it is from.
     */
    public int authenticatedSessionId()
    {
        return deliveringSessionId;
    }

    /** @return protected frames refused so far: unknown session, replayed, or failing their tag. */
    public long refusedFrameCount()
    {
        return refusedFrames.get();
    }

    /** @return the channel with its real endpoint, e.g. the port the driver bound for {@code endpoint=host:0}. */
    public String resolvedChannel()
    {
        return resolvedChannel;
    }

    /** @return the stream id this Inbox subscribes to. */
    public int streamId()
    {
        return subscription.streamId();
    }

    /** @return true while at least one publication is connected. */
    public boolean isConnected()
    {
        return subscription.isConnected();
    }

    /** @return messages dropped so far: malformed frames, oversized or broken transfers. */
    public long droppedMessageCount()
    {
        return droppedMessages.get();
    }

    /** @return transfers currently being reassembled. */
    public int pendingTransferCount()
    {
        return pendingTransfers;
    }

    /** @return bytes held by the reassembly buffers of pending transfers. Call from the polling thread. */
    public long pendingTransferBytes()
    {
        long bytes = 0;
        for (final Long2ObjectHashMap<Transfer> transfers : transfersBySession.values())
        {
            for (final Transfer transfer : transfers.values())
            {
                bytes += transfer.buffer.capacity();
            }
        }
        return bytes;
    }

    /** Closes the subscription. Call from the polling thread or once it has stopped. */
    public void close()
    {
        subscription.close();
        transfersBySession.clear();
        pendingTransfers = 0;
        owner.unregister(this);
    }

    public String toString()
    {
        return "Inbox{channel=" + resolvedChannel + " stream=" + subscription.streamId() + '}';
    }

    private void onFrame(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        if (length < WHOLE_HEADER_LENGTH)
        {
            drop("frame of " + length + " bytes from session " + header.sessionId() +
                " is shorter than the frame header (" + WHOLE_HEADER_LENGTH + " bytes)");
            return;
        }

        final int sessionId = buffer.getInt(offset + RESERVED_OFFSET, BYTE_ORDER);
        if (0 != sessionId)
        {
            onProtectedFrame(buffer, offset, length, header.sessionId(), sessionId);
            return;
        }
        onPlainFrame(buffer, offset, length, header.sessionId(), 0);
    }

    private void onProtectedFrame(
        final DirectBuffer buffer, final int offset, final int length, final int aeronSessionId, final int sessionId)
    {
        final FrameOpener opener = openers.get(sessionId);
        if (null == opener)
        {
            refuse("frame of " + length + " bytes from session " + aeronSessionId + " names protected session " +
                sessionId + ", which this side does not know");
            return;
        }
        final int frameType = buffer.getInt(offset + FRAME_TYPE_OFFSET, BYTE_ORDER);
        final int headerLength = frameType == FRAME_TYPE_CHUNK ? CHUNK_HEADER_LENGTH : WHOLE_HEADER_LENGTH;
        if (openedFrame.capacity() < length)
        {
            openedFrame = new UnsafeBuffer(new byte[Math.max(length, 2 * openedFrame.capacity())]);
        }
        buffer.getBytes(offset, openedFrame, 0, length);
        final int bodyLength = opener.open(openedFrame.byteArray(), 0, headerLength, length);
        if (bodyLength < 0)
        {
            refuse("frame of " + length + " bytes in protected session " + sessionId + " refused: " +
                opener.refusal() + " (sequence " + opener.lastRefusedSequence() + ", highest accepted " +
                opener.highestSequence() + ")");
            return;
        }
        onPlainFrame(openedFrame, 0, headerLength + bodyLength, aeronSessionId, sessionId);
    }

    private void onPlainFrame(
        final DirectBuffer buffer, final int offset, final int length, final int aeronSessionId, final int sessionId)
    {
        final int frameType = buffer.getInt(offset + FRAME_TYPE_OFFSET, BYTE_ORDER);
        if (frameType == FRAME_TYPE_WHOLE)
        {
            deliver(buffer, offset + WHOLE_HEADER_LENGTH, length - WHOLE_HEADER_LENGTH, sessionId);
        }
        else if (frameType == FRAME_TYPE_CHUNK)
        {
            onChunk(buffer, offset, length, aeronSessionId, sessionId);
        }
        else
        {
            drop("unknown frame type " + frameType + " in a frame of " + length + " bytes from session " +
                aeronSessionId);
        }
    }

    private void deliver(final DirectBuffer buffer, final int offset, final int length, final int sessionId)
    {
        deliveringSessionId = sessionId;
        try
        {
            handler.onMessage(buffer, offset, length);
        }
        finally
        {
            deliveringSessionId = 0;
        }
    }

    private void onChunk(
        final DirectBuffer buffer, final int offset, final int length, final int sessionId, final int protectedId)
    {
        if (length < CHUNK_HEADER_LENGTH)
        {
            drop("chunk frame of " + length + " bytes from session " + sessionId +
                " is shorter than the chunk header (" + CHUNK_HEADER_LENGTH + " bytes)");
            return;
        }

        final long transferId = buffer.getLong(offset + TRANSFER_ID_OFFSET, BYTE_ORDER);
        final int totalLength = buffer.getInt(offset + TOTAL_LENGTH_OFFSET, BYTE_ORDER);
        final int chunkOffset = buffer.getInt(offset + CHUNK_OFFSET_OFFSET, BYTE_ORDER);
        final int chunkLength = length - CHUNK_HEADER_LENGTH;

        Long2ObjectHashMap<Transfer> transfers = transfersBySession.get(sessionId);
        Transfer transfer = null == transfers ? null : transfers.get(transferId);
        if (null == transfer)
        {
            if (chunkOffset != 0)
            {
                // The rest of a transfer already dropped (oversized, evicted or broken): reported once, at its start.
                return;
            }
            if (totalLength > maxMessageBytes)
            {
                drop("message of " + totalLength + " bytes from session " + sessionId + " transfer " + transferId +
                    " exceeds maxMessageBytes=" + maxMessageBytes + "; dropped");
                return;
            }
            if (totalLength <= 0)
            {
                drop("chunk from session " + sessionId + " transfer " + transferId + " declares totalLength=" +
                    totalLength);
                return;
            }
            if (pendingTransfers >= MAX_PENDING_TRANSFERS)
            {
                evictOldestTransfer();
            }
            if (null == transfers)
            {
                transfers = new Long2ObjectHashMap<>();
                transfersBySession.put(sessionId, transfers);
            }
            transfer = new Transfer(totalLength, chunkLength, transferSequence++, protectedId);
            transfers.put(transferId, transfer);
            pendingTransfers++;
        }

        if (protectedId != transfer.protectedId)
        {
            // A chunk under other keys (or none) cannot join a transfer: that would let a forger finish it.
            removeTransfer(sessionId, transferId);
            refuse("chunk of transfer " + transferId + " from session " + sessionId + " came under protected " +
                "session " + protectedId + ", the transfer under " + transfer.protectedId + "; transfer dropped");
            return;
        }
        if (totalLength != transfer.totalLength || chunkOffset != transfer.received ||
            chunkLength > totalLength - chunkOffset)
        {
            removeTransfer(sessionId, transferId);
            drop("chunk from session " + sessionId + " transfer " + transferId + " at offset " + chunkOffset +
                " of " + chunkLength + " bytes (totalLength=" + totalLength + ") does not follow " +
                transfer.received + " bytes received of " + transfer.totalLength + "; transfer dropped");
            return;
        }

        transfer.append(buffer, offset + CHUNK_HEADER_LENGTH, chunkLength);
        if (transfer.received == transfer.totalLength)
        {
            removeTransfer(sessionId, transferId);
            deliver(transfer.buffer, 0, transfer.totalLength, transfer.protectedId);
        }
    }

    private void removeTransfer(final int sessionId, final long transferId)
    {
        final Long2ObjectHashMap<Transfer> transfers = transfersBySession.get(sessionId);
        if (null != transfers && null != transfers.remove(transferId))
        {
            pendingTransfers--;
            if (transfers.isEmpty())
            {
                transfersBySession.remove(sessionId);
            }
        }
    }

    private void evictOldestTransfer()
    {
        int oldestSession = 0;
        long oldestTransferId = 0;
        Transfer oldest = null;
        for (final Int2ObjectHashMap<Long2ObjectHashMap<Transfer>>.EntryIterator sessions =
            transfersBySession.entrySet().iterator(); sessions.hasNext(); )
        {
            sessions.next();
            final int sessionId = sessions.getIntKey();
            for (final Long2ObjectHashMap<Transfer>.EntryIterator it = sessions.getValue().entrySet().iterator();
                it.hasNext(); )
            {
                it.next();
                final Transfer t = it.getValue();
                if (null == oldest || t.sequence < oldest.sequence)
                {
                    oldest = t;
                    oldestSession = sessionId;
                    oldestTransferId = it.getLongKey();
                }
            }
        }

        if (null != oldest)
        {
            removeTransfer(oldestSession, oldestTransferId);
            drop("partial transfer " + oldestTransferId + " from session " + oldestSession + " (" + oldest.received +
                " of " + oldest.totalLength + " bytes) evicted: more than " + MAX_PENDING_TRANSFERS +
                " transfers pending");
        }
    }

    private int freeLostSessions()
    {
        int workCount = 0;
        Integer sessionId;
        while (null != (sessionId = lostSessions.poll()))
        {
            assembler.freeSessionBuffer(sessionId);
            final Long2ObjectHashMap<Transfer> transfers = transfersBySession.remove(sessionId.intValue());
            if (null != transfers)
            {
                pendingTransfers -= transfers.size();
            }
            workCount++;
        }
        return workCount;
    }

    private void refuse(final String reason)
    {
        refusedFrames.incrementAndGet();
        drop(reason);
    }

    private void drop(final String reason)
    {
        droppedMessages.incrementAndGet();
        try
        {
            errorHandler.onError(new VirgoException("channel=" + resolvedChannel + " stream=" +
                subscription.streamId() + ": " + reason));
        }
        catch (final RuntimeException ignore)
        {
            // A faulty error handler must not stop the poller.
        }
    }

    /** One message being put back together from chunks. */
    private static final class Transfer
    {
        final int totalLength;
        final long sequence;
        final int protectedId;
        final UnsafeBuffer buffer;
        int received;

        Transfer(final int totalLength, final int firstChunkLength, final long sequence, final int protectedId)
        {
            this.totalLength = totalLength;
            this.sequence = sequence;
            this.protectedId = protectedId;
            this.buffer = new UnsafeBuffer(new byte[(int)Math.min(
                totalLength, Math.max(2L * Math.max(0, firstChunkLength), MIN_REASSEMBLY_BYTES))]);
        }

        void append(final DirectBuffer src, final int srcOffset, final int length)
        {
            final int required = received + length;
            if (required > buffer.capacity())
            {
                // Grow with what has really arrived, never past the declared length, so a sender that lies about
                // totalLength cannot make us allocate more than it sends.
                final long doubled = 2L * buffer.capacity();
                final int newCapacity = (int)Math.min(totalLength, Math.max(doubled, required));
                final byte[] bigger = new byte[newCapacity];
                buffer.getBytes(0, bigger, 0, received);
                buffer.wrap(bigger);
            }
            buffer.putBytes(received, src, srcOffset, length);
            received = required;
        }
    }
}
