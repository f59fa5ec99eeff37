package dev.virgo.it.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.virgo.it.fuzz.TransportFramer.chunk;

/**
 * Chunked transfers that lie ({@link TransportFramer.Kind#CHUNK_ABUSE}): the receiver must bound what it allocates by
 * what really arrives, drop a transfer whose chunks do not follow each other, and forget transfers that never finish.
 */
final class ChunkAbuse
{
    /** Totals that, believed, would make the receiver allocate gigabytes, or index before its buffer. */
    private static final int[] HUGE_TOTALS = {
        Integer.MAX_VALUE, Integer.MAX_VALUE - 7, 1 << 30, 256 * 1024 * 1024, 256 * 1024 * 1024 + 1, 64 * 1024 * 1024,
        -1, Integer.MIN_VALUE, 0};

    private ChunkAbuse()
    {
    }

    static List<byte[]> frames(final byte[] message, final SplittableRandom random, final long transferId,
        final int maxFrameLength)
    {
        final int total = message.length;
        final int half = total / 2;
        final List<byte[]> frames = new ArrayList<>();
        switch (random.nextInt(7))
        {
            case 0:
                // A huge or negative total, then as much of the message as there is: a few chunks of a "2 GiB" message.
                final int huge = HUGE_TOTALS[random.nextInt(HUGE_TOTALS.length)];
                int offset = 0;
                for (int i = 1 + random.nextInt(3); i > 0; i--)
                {
                    final int length = Math.min(maxFrameLength - 64, 1 + random.nextInt(Math.max(1, total)));
                    final byte[] body = Mutator.randomBytes(random, length);
                    frames.add(chunk(transferId, huge, offset, body, 0, length));
                    offset += length;
                }
                break;
            case 1:
                // Out of order: the second half first, then the first.
                frames.add(chunk(transferId, total, half, message, half, total - half));
                frames.add(chunk(transferId, total, 0, message, 0, half));
                break;
            case 2:
                // The first chunk twice.
                frames.add(chunk(transferId, total, 0, message, 0, half));
                frames.add(chunk(transferId, total, 0, message, 0, half));
                frames.add(chunk(transferId, total, half, message, half, total - half));
                break;
            case 3:
                // A chunk that overruns the declared total, or claims an offset past it.
                frames.add(chunk(transferId, Math.max(1, half), 0, message, 0, total));
                frames.add(chunk(transferId, total, total + 1 + random.nextInt(1 << 20), message, 0, half));
                break;
            case 4:
                // A transfer begun and never finished: the receiver holds at most so many.
                frames.add(chunk(transferId, total + 1 + random.nextInt(1 << 16), 0, message, 0, half));
                break;
            case 5:
                // The later chunks change their mind about the total.
                frames.add(chunk(transferId, total, 0, message, 0, half));
                frames.add(chunk(transferId, total + 1 + random.nextInt(100), half, message, half, total - half));
                break;
            default:
                // A negative chunk offset, then a chunk of no bytes.
                frames.add(chunk(transferId, total, -1 - random.nextInt(1 << 20), message, 0, half));
                frames.add(chunk(transferId, total, 0, message, 0, 0));
                break;
        }
        return frames;
    }
}
