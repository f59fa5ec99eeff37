package dev.virgo.runtime.security;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import java.security.GeneralSecurityException;

/**
 * Checks the frames one side receives in one session: the sequence must be higher than any accepted before (a
 * replayed or reordered frame is refused), and the tag must verify; an encrypted body is decrypted in place. One
 * instance per session and direction; used by the single polling thread. Layout: see {@link FrameProtection}.
 */
public final class FrameOpener extends FrameProtection
{
    /** Why the last {@link #open} refused a frame. */
    public enum Refusal
    {
        NONE, TOO_SHORT, REPLAYED, BAD_TAG
    }

    private long highestSequence;
    private long lastRefusedSequence;
    private Refusal refusal = Refusal.NONE;

    /**
     * @param key     this direction's 32-byte key.
     * @param encrypt AES-GCM when true, HMAC-SHA256 only when false; as the sender's.
     */
    public FrameOpener(final byte[] key, final boolean encrypt)
    {
        super(key, encrypt);
    }

    /**
     * Checks, and decrypts in place, one protected frame.
     *
     * @param frame        holding the frame.
     * @param offset       at which the frame starts.
     * @param headerLength the transport header's length.
     * @param frameLength  the whole frame, trailer included.
     * @return the body's length when the frame is accepted, -1 when refused (see {@link #refusal()}).
     */
    public int open(final byte[] frame, final int offset, final int headerLength, final int frameLength)
    {
        final int bodyLength = frameLength - headerLength - TRAILER_LENGTH;
        if (bodyLength < 0)
        {
            return refuse(Refusal.TOO_SHORT, 0);
        }
        final int bodyOffset = offset + headerLength;
        final int tagOffset = bodyOffset + bodyLength;
        final long sequence = readSequence(frame, tagOffset + TAG_LENGTH);
        if (sequence <= highestSequence)
        {
            return refuse(Refusal.REPLAYED, sequence);
        }

        try
        {
            if (encrypt)
            {
                cipher.init(Cipher.DECRYPT_MODE, cipherKey, sequence(sequence));
                cipher.updateAAD(frame, offset, headerLength);
                cipher.updateAAD(sequenceBytes, 0, SEQUENCE_LENGTH);
                cipher.doFinal(frame, bodyOffset, bodyLength + TAG_LENGTH, frame, bodyOffset);
            }
            else
            {
                sequence(sequence);
                computeMac(frame, offset, headerLength, bodyLength);
                int difference = 0;
                for (int i = 0; i < TAG_LENGTH; i++)
                {
                    difference |= macOut[i] ^ frame[tagOffset + i];
                }
                if (0 != difference)
                {
                    return refuse(Refusal.BAD_TAG, sequence);
                }
            }
        }
        catch (final AEADBadTagException ex)
        {
            return refuse(Refusal.BAD_TAG, sequence);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("cannot open frame " + sequence + ": " + ex, ex);
        }

        highestSequence = sequence;
        refusal = Refusal.NONE;
        return bodyLength;
    }

    /** @return why the last frame was refused, NONE after an accepted one. */
    public Refusal refusal()
    {
        return refusal;
    }

    /** @return the sequence number of the last refused frame (0 when too short to have one). */
    public long lastRefusedSequence()
    {
        return lastRefusedSequence;
    }

    /** @return the highest sequence number accepted so far; 0 before the first frame. */
    public long highestSequence()
    {
        return highestSequence;
    }

    private int refuse(final Refusal why, final long sequence)
    {
        refusal = why;
        lastRefusedSequence = sequence;
        return -1;
    }
}
