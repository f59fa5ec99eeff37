package dev.virgo.it.fuzz;

import dev.virgo.runtime.security.FrameProtection;
import dev.virgo.runtime.security.FrameSealer;
import dev.virgo.runtime.transport.TransportFrame;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.virgo.runtime.transport.TransportFrame.*;

/**
 * Puts messages into Virgo transport frames ({@link TransportFrame}), right and wrong: whole frames, plain or sealed
 * under the fuzzer's real session, under a session id nobody gave out or with a garbage tag, sealed frames sent again
 * (replays), frames of unknown type or shorter than their header, and chunked transfers that are honest, claim huge
 * or negative totals, skip or repeat offsets, overrun their total, or never finish.
 * <p>
 * One instance per fuzz run; not thread-safe. The sealer, when given, is the fuzzer's side of a real session: its
 * sequence numbers advance with every frame sealed, so a replayed frame is one the target already accepted.
 */
public final class TransportFramer
{
    /** How a message goes on the wire, by name, for the report. */
    public enum Kind
    {
        WHOLE_PLAIN, WHOLE_SEALED, FORGED_SESSION, BAD_TAG, REPLAY, CHUNKED_PLAIN, CHUNKED_SEALED, CHUNK_ABUSE,
        BAD_FRAME_TYPE, SHORT_FRAME
    }

    private static final int REPLAY_MEMORY = 64;

    private final FrameSealer sealer;
    private final int guessedSessionId;
    private final int maxFrameLength;
    private final List<byte[]> sealedFrames = new ArrayList<>();
    private long transferIds;

    /**
     * @param sealer           the fuzzer's real session towards the target, or null when it has none.
     * @param guessedSessionId a session id the target really uses (another peer's), for forged frames; 0 for none.
     * @param maxFrameLength   the longest frame the link carries.
     */
    public TransportFramer(final FrameSealer sealer, final int guessedSessionId, final int maxFrameLength)
    {
        this.sealer = sealer;
        this.guessedSessionId = guessedSessionId;
        this.maxFrameLength = maxFrameLength;
    }

    /** @return true when frames can be sealed under a real session. */
    public boolean canSeal()
    {
        return null != sealer;
    }

    /** @return the frames that carry {@code message} the way {@code kind} says. */
    public List<byte[]> frame(final byte[] message, final Kind kind, final SplittableRandom random)
    {
        switch (kind)
        {
            case WHOLE_PLAIN: return List.of(whole(message, 0));
            case WHOLE_SEALED: return List.of(sealed(whole(message, 0), WHOLE_HEADER_LENGTH));
            case FORGED_SESSION: return List.of(forged(message, random));
            case BAD_TAG: return List.of(badTag(message, random));
            case REPLAY: return List.of(replay(message, random));
            case CHUNKED_PLAIN: return chunks(message, random, false);
            case CHUNKED_SEALED: return chunks(message, random, canSeal());
            case CHUNK_ABUSE: return ChunkAbuse.frames(message, random, nextTransferId(random), maxFrameLength);
            case BAD_FRAME_TYPE:
                final byte[] frame = whole(message, random.nextInt(4) == 0 ? random.nextInt() : 0);
                int type;
                do
                {
                    type = random.nextBoolean() ? random.nextInt(8) : random.nextInt();
                }
                while (type == FRAME_TYPE_WHOLE || type == FRAME_TYPE_CHUNK);
                le(frame).putInt(FRAME_TYPE_OFFSET, type);
                return List.of(frame);
            case SHORT_FRAME:
                final byte[] shortFrame = Mutator.randomBytes(random, random.nextInt(CHUNK_HEADER_LENGTH));
                if (shortFrame.length >= 4)
                {
                    le(shortFrame).putInt(FRAME_TYPE_OFFSET, random.nextBoolean() ? FRAME_TYPE_WHOLE : FRAME_TYPE_CHUNK);
                }
                return List.of(shortFrame);
            default:
                throw new IllegalArgumentException(kind.name());
        }
    }

    /** @return a WHOLE frame header with {@code sessionId}, then the message. */
    static byte[] whole(final byte[] message, final int sessionId)
    {
        final byte[] frame = new byte[WHOLE_HEADER_LENGTH + message.length];
        le(frame).putInt(FRAME_TYPE_OFFSET, FRAME_TYPE_WHOLE).putInt(SESSION_ID_OFFSET, sessionId);
        System.arraycopy(message, 0, frame, WHOLE_HEADER_LENGTH, message.length);
        return frame;
    }

    /** Seals a frame (header of {@code headerLength}, then body) under the real session; plain when there is none. */
    private byte[] sealed(final byte[] frame, final int headerLength)
    {
        if (null == sealer)
        {
            return frame;
        }
        final byte[] room = java.util.Arrays.copyOf(frame, frame.length + FrameProtection.TRAILER_LENGTH);
        le(room).putInt(SESSION_ID_OFFSET, sealer.sessionId());
        final int length = sealer.seal(room, 0, headerLength, frame.length - headerLength);
        if (sealedFrames.size() == REPLAY_MEMORY)
        {
            sealedFrames.remove(0);
        }
        sealedFrames.add(room);
        return java.util.Arrays.copyOf(room, length);
    }

    /** A frame claiming a session: a random id, or the real one, with a trailer of random tag and sequence. */
    private byte[] forged(final byte[] message, final SplittableRandom random)
    {
        int sessionId = random.nextBoolean() ? random.nextInt() :
            null != sealer ? sealer.sessionId() : guessedSessionId;
        if (0 == sessionId)
        {
            sessionId = 1 + random.nextInt(64);
        }
        final byte[] plain = whole(message, sessionId);
        final byte[] frame = java.util.Arrays.copyOf(plain, plain.length + FrameProtection.TRAILER_LENGTH);
        final byte[] tag = Mutator.randomBytes(random, FrameProtection.TAG_LENGTH);
        System.arraycopy(tag, 0, frame, plain.length, tag.length);
        final long sequence = random.nextBoolean() ? random.nextLong() : 1 + random.nextInt(1 << 20);
        le(frame).putLong(plain.length + FrameProtection.TAG_LENGTH, sequence);
        return frame;
    }

    /** A frame sealed for real, then one bit changed in its header, body, tag or sequence. */
    private byte[] badTag(final byte[] message, final SplittableRandom random)
    {
        final byte[] frame = sealed(whole(message, 0), WHOLE_HEADER_LENGTH);
        if (null == sealer)
        {
            return forged(message, random);
        }
        // Not the frame type or the session id: those are refused before the tag is checked.
        final int at = WHOLE_HEADER_LENGTH + random.nextInt(frame.length - WHOLE_HEADER_LENGTH);
        frame[at] ^= (byte)(1 << random.nextInt(8));
        return frame;
    }

    /** A frame the target already accepted under the real session, sent again. */
    private byte[] replay(final byte[] message, final SplittableRandom random)
    {
        if (sealedFrames.isEmpty())
        {
            return forged(message, random);
        }
        final byte[] room = sealedFrames.get(random.nextInt(sealedFrames.size()));
        return room.clone();
    }

    /** An honest chunked transfer: consistent headers, offsets in order, every chunk sealed when asked. */
    private List<byte[]> chunks(final byte[] message, final SplittableRandom random, final boolean seal)
    {
        final int pieces = 1 + random.nextInt(4);
        final int chunkLength = Math.max(1, (message.length + pieces - 1) / pieces);
        final long transferId = nextTransferId(random);
        final List<byte[]> frames = new ArrayList<>();
        for (int offset = 0; offset < message.length || (message.length == 0 && frames.isEmpty()); )
        {
            final int length = Math.min(chunkLength, message.length - offset);
            final byte[] frame = chunk(transferId, message.length, offset, message, offset, length);
            frames.add(seal ? sealed(frame, CHUNK_HEADER_LENGTH) : frame);
            offset += Math.max(1, length);
        }
        return frames;
    }

    static byte[] chunk(final long transferId, final int totalLength, final int chunkOffset, final byte[] source,
        final int from, final int length)
    {
        final byte[] frame = new byte[CHUNK_HEADER_LENGTH + Math.max(0, length)];
        le(frame).putInt(FRAME_TYPE_OFFSET, FRAME_TYPE_CHUNK).putInt(SESSION_ID_OFFSET, 0)
            .putLong(TRANSFER_ID_OFFSET, transferId).putInt(TOTAL_LENGTH_OFFSET, totalLength)
            .putInt(CHUNK_OFFSET_OFFSET, chunkOffset);
        if (length > 0)
        {
            System.arraycopy(source, from, frame, CHUNK_HEADER_LENGTH, length);
        }
        return frame;
    }

    private long nextTransferId(final SplittableRandom random)
    {
        // Mostly fresh ids; sometimes one already used, which must not join or corrupt another transfer.
        return random.nextInt(8) == 0 ? random.nextInt(4) : (++transferIds) | ((long)random.nextInt() << 32);
    }

    static ByteBuffer le(final byte[] bytes)
    {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
