package dev.virgo.runtime.transport;

import dev.virgo.api.VirgoException;
import dev.virgo.runtime.security.FrameProtection;
import dev.virgo.runtime.security.FrameSealer;
import io.aeron.Publication;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static dev.virgo.runtime.transport.TransportFrame.*;

/**
 * The sending end of a one-way channel: an Aeron concurrent publication plus Virgo's transport framing
 * (see {@link TransportFrame}). Thread-safe: several application threads may send at once; their chunked messages
 * may interleave on the wire and are told apart by transfer id at the {@link Inbox}.
 * <p>
 * Created by {@link AeronTransport#openOutbox(String, int)}. Two Outboxes on the same channel and stream in the same
 * driver share one Aeron publication (and session id); transfer ids carry a random per-Outbox prefix so that their
 * chunks still do not mix.
 */
public final class Outbox implements AutoCloseable
{
    private static final int SPIN_ATTEMPTS = 16;
    private static final int YIELD_ATTEMPTS = 32;
    private static final long MAX_PARK_NS = TimeUnit.MICROSECONDS.toNanos(100);

    /** Read-only, so one instance can be shared by every sending thread. */
    private static final UnsafeBuffer WHOLE_HEADER = new UnsafeBuffer(new byte[WHOLE_HEADER_LENGTH]);

    static
    {
        WHOLE_HEADER.putInt(FRAME_TYPE_OFFSET, FRAME_TYPE_WHOLE, BYTE_ORDER);
        WHOLE_HEADER.putInt(RESERVED_OFFSET, 0, BYTE_ORDER);
    }

    private final Publication publication;
    private final String channel;
    private final int streamId;
    private final int maxMessageBytes;
    private final long transferIdPrefix = ((long)ThreadLocalRandom.current().nextInt()) << 32;
    private final AtomicInteger transferCounter = new AtomicInteger();
    private final AeronTransport owner;
    /** Null until the session's keys are known; then every frame is sealed under it (see {@link #protect}). */
    private volatile Sealing sealing;

    Outbox(final Publication publication, final int maxMessageBytes, final AeronTransport owner)
    {
        this.publication = publication;
        this.channel = publication.channel();
        this.streamId = publication.streamId();
        this.maxMessageBytes = maxMessageBytes;
        this.owner = owner;
    }

    /**
     * Sends one message, whole when it fits in one Aeron message and in chunks otherwise. Returns once every byte
     * is in the publication's log (not once it has been received).
     * <p>
     * Back pressure and admin actions are retried with a short idle (spin, yield, then park up to 100 us); a
     * publication without a subscriber yet is waited for. Both only until {@code timeoutNs} has passed. A chunked
     * message that times out half way leaves a partial transfer at the receiver, which the receiver discards when
     * this publication goes away or when it needs the room.
     *
     * @param buffer    holding the message.
     * @param offset    at which the message starts.
     * @param length    of the message, at most {@link TransportSettings#maxMessageBytes()}.
     * @param timeoutNs how long to keep trying, for the whole message.
     * @throws VirgoException naming the channel, the stream and the reason when the message could not be sent.
     */
    public void send(final DirectBuffer buffer, final int offset, final int length, final long timeoutNs)
    {
        if (offset < 0 || length < 0 || (long)offset + length > buffer.capacity())
        {
            throw new IllegalArgumentException(
                "offset=" + offset + " length=" + length + " outside buffer capacity=" + buffer.capacity());
        }
        if (length > maxMessageBytes)
        {
            throw new VirgoException(describe() + ": message of " + length + " bytes exceeds maxMessageBytes=" +
                maxMessageBytes);
        }

        final long deadlineNs = System.nanoTime() + timeoutNs;
        final Sealing sealing = this.sealing;
        final int trailerLength = null == sealing ? 0 : FrameProtection.TRAILER_LENGTH;
        final int maxMessageLength = publication.maxMessageLength() - trailerLength;
        if (length <= maxMessageLength - WHOLE_HEADER_LENGTH)
        {
            if (null == sealing)
            {
                offer(WHOLE_HEADER, WHOLE_HEADER_LENGTH, buffer, offset, length, deadlineNs, timeoutNs, length);
            }
            else
            {
                sealAndOffer(sealing, WHOLE_HEADER, WHOLE_HEADER_LENGTH, buffer, offset, length, deadlineNs, timeoutNs,
                    length);
            }
            return;
        }

        // Allocated per chunked send only: small next to the copy of a message larger than maxMessageLength.
        final UnsafeBuffer header = new UnsafeBuffer(new byte[CHUNK_HEADER_LENGTH]);
        header.putInt(FRAME_TYPE_OFFSET, FRAME_TYPE_CHUNK, BYTE_ORDER);
        header.putInt(RESERVED_OFFSET, 0, BYTE_ORDER);
        header.putLong(TRANSFER_ID_OFFSET, nextTransferId(), BYTE_ORDER);
        header.putInt(TOTAL_LENGTH_OFFSET, length, BYTE_ORDER);

        final int maxChunkLength = maxMessageLength - CHUNK_HEADER_LENGTH;
        for (int chunkOffset = 0; chunkOffset < length; )
        {
            final int chunkLength = Math.min(maxChunkLength, length - chunkOffset);
            header.putInt(CHUNK_OFFSET_OFFSET, chunkOffset, BYTE_ORDER);
            if (null == sealing)
            {
                offer(header, CHUNK_HEADER_LENGTH, buffer, offset + chunkOffset, chunkLength, deadlineNs, timeoutNs,
                    length);
            }
            else
            {
                sealAndOffer(sealing, header, CHUNK_HEADER_LENGTH, buffer, offset + chunkOffset, chunkLength,
                    deadlineNs, timeoutNs, length);
            }
            chunkOffset += chunkLength;
        }
    }

    /**
     * From now on seals every frame with this session's sealer (its id in the header's reserved int32, a sequence
     * number and a tag in the trailer; see {@link TransportFrame}). Frames are sealed and published under one lock
     * per session, so they reach the publication in sequence order, as the receiver requires. A later call replaces
     * the sealer (a new handshake); null sends plain frames again.
     *
     * @param sealer of this direction of the session, or null.
     */
    public void protect(final FrameSealer sealer)
    {
        sealing = null == sealer ? null : new Sealing(sealer, publication.maxMessageLength());
    }

    /** @return true once {@link #protect} has been given a sealer. */
    public boolean isProtected()
    {
        return null != sealing;
    }

    /** @return true when at least one subscriber is connected to the publication. */
    public boolean isConnected()
    {
        return publication.isConnected();
    }

    /** @return the channel this Outbox publishes to. */
    public String channel()
    {
        return channel;
    }

    /** @return the stream id this Outbox publishes to. */
    public int streamId()
    {
        return streamId;
    }

    /** @return largest message sent without chunking: the publication's maxMessageLength less the frame header. */
    public int maxUnchunkedMessageBytes()
    {
        return publication.maxMessageLength() - WHOLE_HEADER_LENGTH - FrameProtection.TRAILER_LENGTH;
    }

    /** Closes the publication; sends in progress on other threads fail with a "closed" VirgoException. */
    public void close()
    {
        publication.close();
        owner.unregister(this);
    }

    public String toString()
    {
        return "Outbox{" + describe() + '}';
    }

    private long nextTransferId()
    {
        return transferIdPrefix | (transferCounter.getAndIncrement() & 0xFFFF_FFFFL);
    }

    private void offer(
        final DirectBuffer header,
        final int headerLength,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long deadlineNs,
        final long timeoutNs,
        final int messageLength)
    {
        int attempts = 0;
        while (true)
        {
            final long result = publication.offer(header, 0, headerLength, buffer, offset, length);
            if (result > 0)
            {
                return;
            }
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED)
            {
                throw new VirgoException(describe() + ": " + reason(result) + ", message of " + messageLength +
                    " bytes not sent");
            }
            if (System.nanoTime() - deadlineNs >= 0)
            {
                throw new VirgoException(describe() + ": still " + reason(result) + " after " +
                    TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms, message of " + messageLength + " bytes not sent");
            }
            idle(attempts++);
        }
    }

    private void sealAndOffer(
        final Sealing sealing,
        final DirectBuffer header,
        final int headerLength,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long deadlineNs,
        final long timeoutNs,
        final int messageLength)
    {
        synchronized (sealing)
        {
            final UnsafeBuffer frame = sealing.frame;
            header.getBytes(0, frame, 0, headerLength);
            frame.putInt(RESERVED_OFFSET, sealing.sealer.sessionId(), BYTE_ORDER);
            buffer.getBytes(offset, frame, headerLength, length);
            final int frameLength = sealing.sealer.seal(frame.byteArray(), 0, headerLength, length);
            offer(frame, frameLength, EMPTY, 0, 0, deadlineNs, timeoutNs, messageLength);
        }
    }

    private static void idle(final int attempts)
    {
        if (attempts < SPIN_ATTEMPTS)
        {
            Thread.onSpinWait();
        }
        else if (attempts < YIELD_ATTEMPTS || Thread.currentThread().isInterrupted())
        {
            // An interrupted thread's park returns at once; yield instead so that the retry loop does not spin, and
            // leave the interrupt status for the application to see.
            Thread.yield();
        }
        else
        {
            final int shift = Math.min(attempts - YIELD_ATTEMPTS, 20);
            LockSupport.parkNanos(Math.min(1000L << shift, MAX_PARK_NS));
        }
    }

    private static String reason(final long result)
    {
        if (result == Publication.NOT_CONNECTED)
        {
            return "not connected (no subscriber)";
        }
        if (result == Publication.BACK_PRESSURED)
        {
            return "back pressured (subscriber not keeping up)";
        }
        if (result == Publication.ADMIN_ACTION)
        {
            return "admin action (term rotation)";
        }
        if (result == Publication.CLOSED)
        {
            return "publication closed";
        }
        if (result == Publication.MAX_POSITION_EXCEEDED)
        {
            return "max position exceeded (publication must be recreated)";
        }
        return "offer result " + result;
    }

    private String describe()
    {
        return "channel=" + channel + " stream=" + streamId;
    }

    private static final UnsafeBuffer EMPTY = new UnsafeBuffer(new byte[0]);

    /** A session's sealer and the frame it seals into, reused for every frame under the sealer's lock. */
    private static final class Sealing
    {
        final FrameSealer sealer;
        final UnsafeBuffer frame;

        Sealing(final FrameSealer sealer, final int maxFrameBytes)
        {
            this.sealer = sealer;
            this.frame = new UnsafeBuffer(new byte[maxFrameBytes]);
        }
    }
}
