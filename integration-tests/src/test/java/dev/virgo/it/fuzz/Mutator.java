package dev.virgo.it.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Turns a valid message into a nearly valid one, the way a fuzzer finds what a decoder forgot to check: flipped bits,
 * overwritten bytes, a message cut short or with bytes after its end, a length or count field set to a huge, negative
 * or off-by-one value, another type's id, an unknown version. Every choice comes from the random given, so one seed
 * gives one sequence of mutations.
 */
public final class Mutator
{
    /** The mutations, by name, for the report. */
    public enum Kind
    {
        FLIP_BITS, SET_BYTES, TRUNCATE, EXTEND, HUGE_INT, HUGE_LONG, WRONG_TYPE, WRONG_VERSION, SPLICE
    }

    /** Values that break length checks: signs, overflows when added, and the bounds of the buffers behind them. */
    private static final int[] EVIL_INTS = {
        -1, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE - 3, 0x7FFF_FFF0, 0x8000_0001, 0xFFFF, 0x10000,
        1 << 24, 1 << 28, 256 * 1024 * 1024 + 1, 16 * 1024 * 1024, 65_535, 4096, 4097, 0, 1, 2, 3, 4, 8, 24};
    private static final long[] EVIL_LONGS = {
        -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0L, 1L, 0xFFFF_FFFFL, 1L << 32, 1L << 56, 1L << 63 >>> 1};

    private Mutator()
    {
    }

    /**
     * @param message  a valid message; not changed.
     * @param donor    another valid message, for splicing.
     * @param maxBytes the longest result allowed (what one frame can carry).
     * @return a mutated copy.
     */
    public static byte[] mutate(
        final byte[] message, final byte[] donor, final SplittableRandom random, final Kind kind, final int maxBytes)
    {
        final byte[] out;
        switch (kind)
        {
            case FLIP_BITS:
                out = message.clone();
                for (int i = 1 + random.nextInt(8); i > 0 && out.length > 0; i--)
                {
                    out[random.nextInt(out.length)] ^= (byte)(1 << random.nextInt(8));
                }
                return out;
            case SET_BYTES:
                out = message.clone();
                for (int i = 1 + random.nextInt(4); i > 0 && out.length > 0; i--)
                {
                    out[random.nextInt(out.length)] = (byte)random.nextInt(256);
                }
                return out;
            case TRUNCATE:
                return Arrays.copyOf(message, message.length == 0 ? 0 : random.nextInt(message.length));
            case EXTEND:
                final int extra = 1 + (random.nextInt(4) == 0 ? random.nextInt(Math.max(1, maxBytes / 4)) :
                    random.nextInt(16));
                out = Arrays.copyOf(message, Math.min(maxBytes, message.length + extra));
                for (int i = message.length; i < out.length; i++)
                {
                    out[i] = (byte)random.nextInt(256);
                }
                return out;
            case HUGE_INT:
                out = message.clone();
                if (out.length >= 4)
                {
                    // Aligned offsets first: length prefixes and counts sit on them after the 24-byte header.
                    final int at = random.nextBoolean() ? (random.nextInt(out.length / 4)) * 4 :
                        random.nextInt(out.length - 3);
                    final int value = random.nextInt(3) == 0 ? message.length - at + random.nextInt(9) - 4 :
                        EVIL_INTS[random.nextInt(EVIL_INTS.length)];
                    ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
                }
                return out;
            case HUGE_LONG:
                out = message.clone();
                if (out.length >= 8)
                {
                    final int at = random.nextBoolean() ? random.nextInt(out.length / 8) * 8 :
                        random.nextInt(out.length - 7);
                    ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN)
                        .putLong(at, EVIL_LONGS[random.nextInt(EVIL_LONGS.length)]);
                }
                return out;
            case WRONG_TYPE:
                out = message.clone();
                if (out.length >= 2)
                {
                    final int type = random.nextInt(4) == 0 ? random.nextInt(65_536) : random.nextInt(24);
                    ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putShort(0, (short)type);
                }
                return out;
            case WRONG_VERSION:
                out = message.clone();
                if (out.length >= 4)
                {
                    final int version = random.nextBoolean() ? random.nextInt(8) : random.nextInt(65_536);
                    ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putShort(2, (short)version);
                }
                return out;
            case SPLICE:
                // The head of one message on the tail of another: valid header, another type's body.
                final int cut = message.length == 0 ? 0 : random.nextInt(message.length + 1);
                final int from = donor.length == 0 ? 0 : random.nextInt(donor.length + 1);
                out = new byte[Math.min(maxBytes, cut + donor.length - from)];
                System.arraycopy(message, 0, out, 0, Math.min(cut, out.length));
                System.arraycopy(donor, from, out, Math.min(cut, out.length), out.length - Math.min(cut, out.length));
                return out;
            default:
                throw new IllegalArgumentException(kind.name());
        }
    }

    /** @return {@code length} random bytes: what a port scanner or a misdirected sender puts on the wire. */
    public static byte[] randomBytes(final SplittableRandom random, final int length)
    {
        final byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
